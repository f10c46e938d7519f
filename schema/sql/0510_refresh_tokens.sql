-- 0510_refresh_tokens.sql
-- Refresh tokens of local accounts (email + password -> JWT access token + refresh token).
-- Rotation: each use revokes the token and issues a successor in the same family; presenting a
-- revoked token again (reuse) revokes the whole family.

CREATE TABLE refresh_tokens (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  token_hash text NOT NULL,
  family_id uuid NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz NULL,
  replaced_by uuid NULL,
  user_agent text NULL,
  ip_address inet NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_refresh_tokens PRIMARY KEY (id),
  CONSTRAINT fk_refresh_tokens_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT fk_refresh_tokens_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_refresh_tokens_replaced_by FOREIGN KEY (replaced_by)
    REFERENCES refresh_tokens (id) ON DELETE SET NULL,
  CONSTRAINT uq_refresh_tokens_token_hash UNIQUE (token_hash),
  CONSTRAINT ck_refresh_tokens_token_hash_not_empty CHECK (token_hash <> ''),
  CONSTRAINT ck_refresh_tokens_not_self_replaced CHECK (replaced_by IS NULL OR replaced_by <> id),
  -- A replaced token is revoked.
  CONSTRAINT ck_refresh_tokens_replaced_revoked CHECK (replaced_by IS NULL OR revoked_at IS NOT NULL),
  CONSTRAINT ck_refresh_tokens_user_agent_length CHECK (user_agent IS NULL OR char_length(user_agent) <= 1000)
);

-- Revoke a family on reuse / list a family.
CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id);
-- A user's sessions (log out everywhere).
CREATE INDEX ix_refresh_tokens_tenant_user ON refresh_tokens (tenant_id, user_id);
-- Purging expired tokens.
CREATE INDEX ix_refresh_tokens_expires ON refresh_tokens (expires_at);
-- ON DELETE SET NULL of replaced_by when a predecessor's successor is purged.
CREATE INDEX ix_refresh_tokens_replaced_by ON refresh_tokens (replaced_by) WHERE replaced_by IS NOT NULL;

CREATE TRIGGER trg_refresh_tokens_updated_at
  BEFORE UPDATE ON refresh_tokens
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_refresh_tokens_tenant_match
  BEFORE INSERT OR UPDATE OF tenant_id, user_id, replaced_by ON refresh_tokens
  FOR EACH ROW EXECUTE FUNCTION enforce_tenant_match('user_id', 'users', 'replaced_by', 'refresh_tokens');

COMMENT ON TABLE refresh_tokens IS 'Hashed refresh token of a local-account session, rotated on every use; family_id groups one login''s chain for reuse detection.';
COMMENT ON COLUMN refresh_tokens.token_hash IS 'Hash (e.g. SHA-256 hex) of the opaque refresh token; the token itself is never stored.';
COMMENT ON COLUMN refresh_tokens.family_id IS 'Shared by every token descended from one login; reuse of a revoked token revokes the family.';
COMMENT ON COLUMN refresh_tokens.replaced_by IS 'The token issued when this one was rotated; NULL while current.';
COMMENT ON COLUMN refresh_tokens.ip_address IS 'Client address when issued, for the session list.';
