-- 0500_api_keys.sql
-- API keys: long-lived secrets for scripts and integrations, acting as their user. Only a hash of
-- the secret is stored; the prefix is shown to users and narrows the lookup.

CREATE TABLE api_keys (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  name text NOT NULL,
  prefix text NOT NULL,
  key_hash text NOT NULL,
  scopes jsonb NOT NULL DEFAULT '[]',
  last_used_at timestamptz NULL,
  expires_at timestamptz NULL,
  revoked_at timestamptz NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_api_keys PRIMARY KEY (id),
  CONSTRAINT fk_api_keys_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT fk_api_keys_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  -- Global (not per tenant): a presented key is resolved to its tenant through this row.
  CONSTRAINT uq_api_keys_prefix UNIQUE (prefix),
  CONSTRAINT uq_api_keys_key_hash UNIQUE (key_hash),
  CONSTRAINT ck_api_keys_name_length CHECK (char_length(btrim(name)) BETWEEN 1 AND 100),
  CONSTRAINT ck_api_keys_prefix_length CHECK (char_length(prefix) BETWEEN 4 AND 32),
  CONSTRAINT ck_api_keys_key_hash_not_empty CHECK (key_hash <> ''),
  CONSTRAINT ck_api_keys_scopes_array CHECK (jsonb_typeof(scopes) = 'array')
);

-- A user's keys.
CREATE INDEX ix_api_keys_tenant_user ON api_keys (tenant_id, user_id);

CREATE TRIGGER trg_api_keys_updated_at
  BEFORE UPDATE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_api_keys_tenant_match
  BEFORE INSERT OR UPDATE OF tenant_id, user_id ON api_keys
  FOR EACH ROW EXECUTE FUNCTION enforce_tenant_match('user_id', 'users');

COMMENT ON TABLE api_keys IS 'Hashed API key acting as its user (optionally narrowed by scopes); valid while not revoked and not expired.';
COMMENT ON COLUMN api_keys.prefix IS 'Leading characters of the key, shown in listings and used to find the row; globally unique.';
COMMENT ON COLUMN api_keys.key_hash IS 'Hash (e.g. SHA-256 hex) of the full key; the key itself is shown once and never stored.';
COMMENT ON COLUMN api_keys.scopes IS 'JSON array of scope strings; empty means all of the user''s rights.';
COMMENT ON COLUMN api_keys.expires_at IS 'NULL: never expires.';
