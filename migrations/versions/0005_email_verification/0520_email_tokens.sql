-- 0520_email_tokens.sql
-- Single-use, expiring secrets sent by e-mail: verifying an address, resetting a password. Only the
-- SHA-256 of the secret is stored; using one sets used_at (it never works twice).

CREATE TABLE email_tokens (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  purpose text NOT NULL,
  email citext NOT NULL,
  token_hash text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_email_tokens PRIMARY KEY (id),
  CONSTRAINT fk_email_tokens_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT fk_email_tokens_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT uq_email_tokens_token_hash UNIQUE (token_hash),
  CONSTRAINT ck_email_tokens_purpose CHECK (purpose IN ('verify', 'reset')),
  CONSTRAINT ck_email_tokens_token_hash_not_empty CHECK (token_hash <> '')
);

-- A user's live tokens of one purpose (a new one retires the older ones).
CREATE INDEX ix_email_tokens_user_purpose ON email_tokens (user_id, purpose) WHERE used_at IS NULL;

CREATE TRIGGER trg_email_tokens_updated_at
  BEFORE UPDATE ON email_tokens
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_email_tokens_tenant_match
  BEFORE INSERT OR UPDATE OF tenant_id, user_id ON email_tokens
  FOR EACH ROW EXECUTE FUNCTION enforce_tenant_match('user_id', 'users');

COMMENT ON TABLE email_tokens IS 'Single-use expiring secrets mailed to a user: verify an address, reset a password.';
COMMENT ON COLUMN email_tokens.email IS 'The address the secret was sent to: verifying proves this address, not a later one.';
COMMENT ON COLUMN email_tokens.token_hash IS 'SHA-256 hex of the mailed secret; the secret itself is never stored.';
COMMENT ON COLUMN email_tokens.used_at IS 'Set when the token is used or superseded; a used token never works again.';
