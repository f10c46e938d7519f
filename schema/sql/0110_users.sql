-- 0110_users.sql
-- Users: one row per identity (auth provider + subject) per tenant, provisioned on first sight of a
-- valid token, or created by local sign-up (then password_hash is set).

CREATE TABLE users (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  auth_provider text NOT NULL,
  auth_subject text NOT NULL,
  email citext NULL,
  display_name text NULL,
  avatar_url text NULL,
  metadata jsonb NOT NULL DEFAULT '{}',
  password_hash text NULL,
  is_admin boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  email_verified_at timestamptz NULL,
  disabled_at timestamptz NULL,
  CONSTRAINT pk_users PRIMARY KEY (id),
  CONSTRAINT fk_users_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT uq_users_tenant_provider_subject UNIQUE (tenant_id, auth_provider, auth_subject),
  -- citext: uniqueness and equality ignore case; a plain UNIQUE already lets many rows have NULL.
  CONSTRAINT uq_users_tenant_email UNIQUE (tenant_id, email),
  CONSTRAINT ck_users_auth_provider_length CHECK (char_length(auth_provider) BETWEEN 1 AND 64),
  CONSTRAINT ck_users_auth_subject_length CHECK (char_length(auth_subject) BETWEEN 1 AND 255),
  CONSTRAINT ck_users_email_format CHECK (
    email IS NULL OR (char_length(email) <= 320 AND email::text ~ '^[^@[:space:]]+@[^@[:space:]]+$')
  ),
  CONSTRAINT ck_users_display_name_length CHECK (display_name IS NULL OR char_length(display_name) <= 200),
  CONSTRAINT ck_users_avatar_url_length CHECK (avatar_url IS NULL OR char_length(avatar_url) <= 2048),
  CONSTRAINT ck_users_password_hash_not_empty CHECK (password_hash IS NULL OR password_hash <> ''),
  CONSTRAINT ck_users_metadata_object CHECK (jsonb_typeof(metadata) = 'object')
);

-- searchUsers: `display_name ILIKE '%q%' OR email::text ILIKE '%q%'`. The email index uses the text
-- operator class on the citext column, so the query must cast (a bare citext ILIKE cannot use it).
CREATE INDEX ix_users_display_name_trgm ON users USING gin (display_name gin_trgm_ops);
CREATE INDEX ix_users_email_trgm ON users USING gin (email gin_trgm_ops);
-- searchUsers' page in name order: for a common fragment PostgreSQL walks this index and stops after `limit`
-- matches (6.5 ms for `lovelace`, 5,023 of 100,000 users) instead of reading every match and sorting them
-- (19 ms, growing with the table); for a rare one it still takes the trigram index.
CREATE INDEX ix_users_tenant_display_name ON users (tenant_id, display_name, id);

CREATE TRIGGER trg_users_updated_at
  BEFORE UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_users_tenant_match
  BEFORE INSERT OR UPDATE OF tenant_id ON users
  FOR EACH ROW EXECUTE FUNCTION enforce_tenant_match();

COMMENT ON TABLE users IS 'A person known to a tenant through one auth provider identity; owns boards, runs generations.';
COMMENT ON COLUMN users.auth_provider IS 'Authenticator that vouched for this identity, e.g. none, local, jwt, oidc, supabase, clerk, auth0.';
COMMENT ON COLUMN users.auth_subject IS 'Stable subject id from the provider (JWT sub); for local accounts the app chooses it (e.g. the normalised e-mail or the user id).';
COMMENT ON COLUMN users.email IS 'Case-insensitive (citext); unique per tenant when present. Search it as email::text ILIKE to use the trigram index.';
COMMENT ON COLUMN users.password_hash IS 'Local accounts only: password hash in a self-describing format (e.g. $argon2id$...). NULL for external identities.';
COMMENT ON COLUMN users.email_verified_at IS 'When the user proved they receive mail at this address (a verification, reset or invitation link); NULL = unverified. Only verified addresses accept invitations.';
COMMENT ON COLUMN users.disabled_at IS 'When a tenant admin disabled the account (NULL = active): its sessions, tokens and API keys are refused and it cannot sign in until re-enabled.';
COMMENT ON COLUMN users.is_admin IS 'Tenant administrator: may manage every board of the tenant.';
COMMENT ON COLUMN users.metadata IS 'Open-ended profile data (JSON object), e.g. provider claims.';
