-- 0140_board_invitations.sql
-- Board invitations: an e-mail invitation to join a board with a role, redeemed with a secret token
-- of which only the hash is stored.

CREATE TABLE board_invitations (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  board_id uuid NOT NULL,
  email citext NOT NULL,
  role board_role NOT NULL DEFAULT 'viewer',
  invited_by uuid NULL,
  token_hash text NOT NULL,
  status invitation_status NOT NULL DEFAULT 'pending',
  expires_at timestamptz NOT NULL,
  accepted_by uuid NULL,
  accepted_at timestamptz NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_board_invitations PRIMARY KEY (id),
  CONSTRAINT fk_board_invitations_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT fk_board_invitations_board_id FOREIGN KEY (board_id) REFERENCES boards (id) ON DELETE CASCADE,
  CONSTRAINT fk_board_invitations_invited_by FOREIGN KEY (invited_by) REFERENCES users (id) ON DELETE SET NULL,
  CONSTRAINT fk_board_invitations_accepted_by FOREIGN KEY (accepted_by) REFERENCES users (id) ON DELETE SET NULL,
  CONSTRAINT uq_board_invitations_token_hash UNIQUE (token_hash),
  CONSTRAINT ck_board_invitations_email_format CHECK (
    char_length(email) <= 320 AND email::text ~ '^[^@[:space:]]+@[^@[:space:]]+$'
  ),
  CONSTRAINT ck_board_invitations_token_hash_not_empty CHECK (token_hash <> ''),
  -- accepted_at is set exactly when the invitation is accepted; accepted_by only then
  -- (it may later become NULL if the accepting user is deleted).
  CONSTRAINT ck_board_invitations_accepted_at CHECK ((status = 'accepted') = (accepted_at IS NOT NULL)),
  CONSTRAINT ck_board_invitations_accepted_by CHECK (accepted_by IS NULL OR status = 'accepted')
);

-- At most one pending invitation per (board, e-mail). Mark stale ones 'expired' before re-inviting.
CREATE UNIQUE INDEX uq_board_invitations_board_email_pending
  ON board_invitations (board_id, email) WHERE status = 'pending';
-- A board's invitations by time (and board deletion cascade).
CREATE INDEX ix_board_invitations_board_created ON board_invitations (board_id, created_at DESC);
-- "Invitations for me": pending invitations by e-mail within a tenant.
CREATE INDEX ix_board_invitations_tenant_email ON board_invitations (tenant_id, email) WHERE status = 'pending';

CREATE TRIGGER trg_board_invitations_updated_at
  BEFORE UPDATE ON board_invitations
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_board_invitations_tenant_match
  BEFORE INSERT OR UPDATE OF tenant_id, board_id, invited_by, accepted_by ON board_invitations
  FOR EACH ROW EXECUTE FUNCTION enforce_tenant_match('board_id', 'boards', 'invited_by', 'users', 'accepted_by', 'users');

COMMENT ON TABLE board_invitations IS 'Invitation of an e-mail address to join a board with a role; accepted by presenting the secret token.';
COMMENT ON COLUMN board_invitations.email IS 'Invitee address (citext, case-insensitive).';
COMMENT ON COLUMN board_invitations.role IS 'Role granted on acceptance.';
COMMENT ON COLUMN board_invitations.token_hash IS 'Hash (e.g. SHA-256 hex) of the secret token sent to the invitee; the token itself is never stored.';
COMMENT ON COLUMN board_invitations.status IS 'pending until accepted, revoked or expired; a pending row past expires_at is treated as expired.';
COMMENT ON COLUMN board_invitations.accepted_by IS 'User who accepted; NULL unless status = accepted (or if that user was deleted).';
