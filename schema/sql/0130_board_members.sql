-- 0130_board_members.sql
-- Board members: users other than the owner who may read (viewer), create generations (editor) or
-- manage the board (admin).

CREATE TABLE board_members (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  board_id uuid NOT NULL,
  user_id uuid NOT NULL,
  role board_role NOT NULL DEFAULT 'viewer',
  invited_by uuid NULL,
  joined_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_board_members PRIMARY KEY (id),
  CONSTRAINT fk_board_members_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT fk_board_members_board_id FOREIGN KEY (board_id) REFERENCES boards (id) ON DELETE CASCADE,
  CONSTRAINT fk_board_members_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_board_members_invited_by FOREIGN KEY (invited_by) REFERENCES users (id) ON DELETE SET NULL,
  CONSTRAINT uq_board_members_board_user UNIQUE (board_id, user_id)
);

-- memberBoards / myBoards(role: MEMBER): boards a user belongs to.
CREATE INDEX ix_board_members_user ON board_members (user_id);

CREATE TRIGGER trg_board_members_updated_at
  BEFORE UPDATE ON board_members
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_board_members_tenant_match
  BEFORE INSERT OR UPDATE OF tenant_id, board_id, user_id, invited_by ON board_members
  FOR EACH ROW EXECUTE FUNCTION enforce_tenant_match('board_id', 'boards', 'user_id', 'users', 'invited_by', 'users');

COMMENT ON TABLE board_members IS 'Membership of a user in a board with a role; unique per (board, user).';
COMMENT ON COLUMN board_members.role IS 'viewer reads; editor also creates and manages generations; admin also manages the board and its members.';
COMMENT ON COLUMN board_members.invited_by IS 'User who added this member; NULL when unknown or when that user was deleted.';
COMMENT ON COLUMN board_members.joined_at IS 'When the membership took effect (invitation accepted or member added).';
