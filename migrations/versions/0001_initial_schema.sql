-- Frozen copy of schema/sql/*.sql at revision 0001 (do not edit: later changes get new revisions).

-- ==== 0001_extensions.sql ====
-- 0001_extensions.sql
-- Extensions the schema relies on. Both ship with PostgreSQL's contrib (and with the embedded server).
-- UUIDs come from gen_random_uuid(), which is core since PostgreSQL 13: no pgcrypto / uuid-ossp.

-- Trigram GIN indexes behind the ILIKE searches (searchBoards, searchUsers).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Case-insensitive text for e-mail addresses (users.email, board_invitations.email).
CREATE EXTENSION IF NOT EXISTS citext;

-- ==== 0002_functions.sql ====
-- 0002_functions.sql
-- Trigger functions shared by every table.
--   set_updated_at()        BEFORE UPDATE: keeps updated_at current (trigger trg_<table>_updated_at).
--   enforce_tenant_match()  BEFORE INSERT OR UPDATE: keeps every row inside its tenant
--                           (trigger trg_<table>_tenant_match).

CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

COMMENT ON FUNCTION set_updated_at() IS
  'BEFORE UPDATE trigger: sets NEW.updated_at to now() (transaction time, UTC in timestamptz).';

-- Tenant isolation that plain foreign keys cannot express without composite keys.
-- Arguments come in pairs: (column, referenced_table), e.g. ('owner_id', 'users'). For each non-null
-- column, the referenced row (looked up by id in the triggering table's schema) must carry the same
-- tenant_id as NEW. A missing referenced row is left to the real foreign key to report.
-- It also makes tenant_id immutable once set (a NULL tenant_id may be filled in once; only
-- webhook_events allows NULL), which is what keeps the check race-free: the referenced tenant_id
-- can never change after we read it.
-- Errors: SQLSTATE 23503 (foreign_key_violation) with constraint name fk_<table>_<column>_tenant
-- for a cross-tenant reference; SQLSTATE 23514 (check_violation) with constraint name
-- ck_<table>_tenant_immutable for a tenant change.
CREATE FUNCTION enforce_tenant_match() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  new_row jsonb;
  col text;
  ref_table text;
  ref_id uuid;
  ref_tenant uuid;
  i integer := 0;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.tenant_id IS NOT NULL
     AND NEW.tenant_id IS DISTINCT FROM OLD.tenant_id THEN
    RAISE EXCEPTION '%.tenant_id cannot change (row %)', TG_TABLE_NAME, OLD.id
      USING ERRCODE = 'check_violation',
            CONSTRAINT = format('ck_%s_tenant_immutable', TG_TABLE_NAME),
            TABLE = TG_TABLE_NAME,
            SCHEMA = TG_TABLE_SCHEMA;
  END IF;

  new_row := to_jsonb(NEW);
  WHILE i + 1 < TG_NARGS LOOP
    col := TG_ARGV[i];
    ref_table := TG_ARGV[i + 1];
    ref_id := (new_row ->> col)::uuid;
    IF ref_id IS NOT NULL THEN
      EXECUTE format('SELECT tenant_id FROM %I.%I WHERE id = $1', TG_TABLE_SCHEMA, ref_table)
        INTO ref_tenant
        USING ref_id;
      IF ref_tenant IS NOT NULL AND ref_tenant IS DISTINCT FROM NEW.tenant_id THEN
        RAISE EXCEPTION '%.% references %.id % of another tenant', TG_TABLE_NAME, col, ref_table, ref_id
          USING ERRCODE = 'foreign_key_violation',
                CONSTRAINT = format('fk_%s_%s_tenant', TG_TABLE_NAME, col),
                TABLE = TG_TABLE_NAME,
                SCHEMA = TG_TABLE_SCHEMA,
                COLUMN = col;
      END IF;
    END IF;
    i := i + 2;
  END LOOP;

  RETURN NEW;
END;
$$;

COMMENT ON FUNCTION enforce_tenant_match() IS
  'BEFORE INSERT OR UPDATE trigger: tenant_id is immutable and every (column, table) argument pair must reference a row of the same tenant. Raises 23503 fk_<table>_<column>_tenant or 23514 ck_<table>_tenant_immutable.';

-- ==== 0010_enums.sql ====
-- 0010_enums.sql
-- Native enum types. Values are lowercase; GraphQL exposes them UPPER_CASE.

CREATE TYPE artifact_type AS ENUM ('image', 'video', 'audio', 'text', 'lora', 'model');
COMMENT ON TYPE artifact_type IS 'Kind of artifact a generation produces (or an upload holds).';

CREATE TYPE generation_status AS ENUM ('pending', 'processing', 'completed', 'failed', 'cancelled');
COMMENT ON TYPE generation_status IS
  'Generation lifecycle: pending -> processing -> completed | failed | cancelled (the last three are terminal).';

CREATE TYPE board_role AS ENUM ('viewer', 'editor', 'admin');
COMMENT ON TYPE board_role IS
  'Board member role: viewer reads, editor creates and manages generations, admin also manages the board and its members.';

CREATE TYPE invitation_status AS ENUM ('pending', 'accepted', 'revoked', 'expired');
COMMENT ON TYPE invitation_status IS 'Lifecycle of a board invitation sent by e-mail.';

CREATE TYPE credit_entry_kind AS ENUM ('grant', 'reserve', 'capture', 'refund', 'adjustment');
COMMENT ON TYPE credit_entry_kind IS
  'Credit ledger entry kind; see COMMENT ON COLUMN credit_ledger.amount for the sign convention.';

-- ==== 0100_tenants.sql ====
-- 0100_tenants.sql
-- Tenants: the isolation boundary. Every other table carries tenant_id (webhook_events may leave it
-- NULL until the event is matched). The default tenant is seeded by the migration, not here.

CREATE TABLE tenants (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  slug text NOT NULL,
  settings jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_tenants PRIMARY KEY (id),
  CONSTRAINT uq_tenants_slug UNIQUE (slug),
  CONSTRAINT ck_tenants_slug_format CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  CONSTRAINT ck_tenants_name_length CHECK (char_length(btrim(name)) BETWEEN 1 AND 200),
  CONSTRAINT ck_tenants_settings_object CHECK (jsonb_typeof(settings) = 'object')
);

CREATE TRIGGER trg_tenants_updated_at
  BEFORE UPDATE ON tenants
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE tenants IS 'An isolated organisation: all users, boards and generations belong to exactly one tenant.';
COMMENT ON COLUMN tenants.slug IS 'URL-safe identifier used to select the tenant (settings, X-Tenant header or token claim).';
COMMENT ON COLUMN tenants.settings IS 'Open-ended tenant configuration (JSON object), e.g. feature flags or credit policy.';

-- ==== 0110_users.sql ====
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
COMMENT ON COLUMN users.is_admin IS 'Tenant administrator: may manage every board of the tenant.';
COMMENT ON COLUMN users.metadata IS 'Open-ended profile data (JSON object), e.g. provider claims.';

-- ==== 0120_boards.sql ====
-- 0120_boards.sql
-- Boards: shared canvases of generations, owned by a user, optionally public within the tenant.

CREATE TABLE boards (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  owner_id uuid NOT NULL,
  title text NOT NULL,
  description text NULL,
  is_public boolean NOT NULL DEFAULT false,
  settings jsonb NOT NULL DEFAULT '{}',
  metadata jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_boards PRIMARY KEY (id),
  CONSTRAINT fk_boards_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  -- Deleting a user deletes the boards they own (and, through them, the boards' generations).
  CONSTRAINT fk_boards_owner_id FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT ck_boards_title_length CHECK (char_length(btrim(title)) BETWEEN 1 AND 200),
  CONSTRAINT ck_boards_description_length CHECK (description IS NULL OR char_length(description) <= 5000),
  CONSTRAINT ck_boards_settings_object CHECK (jsonb_typeof(settings) = 'object'),
  CONSTRAINT ck_boards_metadata_object CHECK (jsonb_typeof(metadata) = 'object')
);

-- myBoards (owner) by time; also serves the owner_id lookups of a user's boards.
CREATE INDEX ix_boards_tenant_owner_created ON boards (tenant_id, owner_id, created_at DESC);
-- publicBoards / public feed by creation time.
CREATE INDEX ix_boards_tenant_created_public ON boards (tenant_id, created_at DESC) WHERE is_public;
-- UPDATED_ASC / UPDATED_DESC sorts.
CREATE INDEX ix_boards_tenant_updated ON boards (tenant_id, updated_at DESC);
-- searchBoards: title ILIKE '%q%' OR description ILIKE '%q%'.
CREATE INDEX ix_boards_title_trgm ON boards USING gin (title gin_trgm_ops);
CREATE INDEX ix_boards_description_trgm ON boards USING gin (description gin_trgm_ops);

CREATE TRIGGER trg_boards_updated_at
  BEFORE UPDATE ON boards
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_boards_tenant_match
  BEFORE INSERT OR UPDATE OF tenant_id, owner_id ON boards
  FOR EACH ROW EXECUTE FUNCTION enforce_tenant_match('owner_id', 'users');

COMMENT ON TABLE boards IS 'A shared canvas of generations with an owner, members and an optional public flag.';
COMMENT ON COLUMN boards.owner_id IS 'The user who owns the board; the owner has every right without a board_members row.';
COMMENT ON COLUMN boards.title IS '1..200 characters after trimming.';
COMMENT ON COLUMN boards.is_public IS 'Readable by every user of the same tenant (never across tenants).';
COMMENT ON COLUMN boards.settings IS 'Client/board configuration (JSON object), e.g. layout or default generator.';
COMMENT ON COLUMN boards.metadata IS 'Open-ended data attached by clients (JSON object).';

-- ==== 0130_board_members.sql ====
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

-- ==== 0140_board_invitations.sql ====
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

-- ==== 0200_generations.sql ====
-- 0200_generations.sql
-- Generations: one run of a generator (or one upload) on a board, its job state, its artifacts and
-- its cost. Rows are written by the API (pending) and by workers (progress, results); the sweeper
-- finds stuck rows through heartbeat_at.

CREATE TABLE generations (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  board_id uuid NOT NULL,
  user_id uuid NOT NULL,
  generator_name text NOT NULL,
  artifact_type artifact_type NOT NULL,
  source text NOT NULL DEFAULT 'generator',
  status generation_status NOT NULL DEFAULT 'pending',
  progress double precision NOT NULL DEFAULT 0,
  phase text NULL,
  status_message text NULL,
  input_params jsonb NOT NULL DEFAULT '{}',
  output_metadata jsonb NOT NULL DEFAULT '{}',
  storage_url text NULL,
  storage_key text NULL,
  thumbnail_url text NULL,
  thumbnail_key text NULL,
  additional_files jsonb NOT NULL DEFAULT '[]',
  external_job_id text NULL,
  error_message text NULL,
  estimated_cost numeric(12,4) NULL,
  actual_cost numeric(12,4) NULL,
  idempotency_key text NULL,
  attempt integer NOT NULL DEFAULT 0,
  heartbeat_at timestamptz NULL,
  cancel_requested_at timestamptz NULL,
  started_at timestamptz NULL,
  completed_at timestamptz NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_generations PRIMARY KEY (id),
  CONSTRAINT fk_generations_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT fk_generations_board_id FOREIGN KEY (board_id) REFERENCES boards (id) ON DELETE CASCADE,
  -- NOT NULL + CASCADE: Generation.userId is non-null in the Boards GraphQL API, so a generation
  -- cannot outlive its author; deleting a user erases everything they made (the same policy as
  -- boards.owner_id). Descendants made by others from these artifacts survive: only their lineage
  -- edges to the deleted rows go (generation_inputs cascades).
  CONSTRAINT fk_generations_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT uq_generations_tenant_user_idempotency_key UNIQUE (tenant_id, user_id, idempotency_key),
  CONSTRAINT ck_generations_generator_name_length CHECK (char_length(generator_name) BETWEEN 1 AND 200),
  CONSTRAINT ck_generations_source CHECK (source IN ('generator', 'upload')),
  CONSTRAINT ck_generations_progress_range CHECK (progress >= 0 AND progress <= 1),
  CONSTRAINT ck_generations_phase CHECK (
    phase IS NULL OR phase IN ('queued', 'initializing', 'processing', 'finalizing')
  ),
  CONSTRAINT ck_generations_input_params_object CHECK (jsonb_typeof(input_params) = 'object'),
  CONSTRAINT ck_generations_output_metadata_object CHECK (jsonb_typeof(output_metadata) = 'object'),
  CONSTRAINT ck_generations_additional_files_array CHECK (jsonb_typeof(additional_files) = 'array'),
  CONSTRAINT ck_generations_estimated_cost_nonnegative CHECK (estimated_cost IS NULL OR estimated_cost >= 0),
  CONSTRAINT ck_generations_actual_cost_nonnegative CHECK (actual_cost IS NULL OR actual_cost >= 0),
  CONSTRAINT ck_generations_idempotency_key_length CHECK (
    idempotency_key IS NULL OR char_length(idempotency_key) BETWEEN 1 AND 255
  ),
  CONSTRAINT ck_generations_attempt_nonnegative CHECK (attempt >= 0),
  CONSTRAINT ck_generations_completed_at_terminal CHECK (
    completed_at IS NULL OR status IN ('completed', 'failed', 'cancelled')
  ),
  CONSTRAINT ck_generations_completed_progress CHECK (status <> 'completed' OR progress = 1)
);

-- A board's generations by time (Board.generations, recentGenerations(boardId), generationCount).
CREATE INDEX ix_generations_board_created ON generations (board_id, created_at DESC);
-- A user's generations by time.
CREATE INDEX ix_generations_tenant_user_created ON generations (tenant_id, user_id, created_at DESC);
-- Sweeper (cross-tenant): active rows whose heartbeat is missing or stale. Partial, so it stays tiny.
CREATE INDEX ix_generations_status_heartbeat ON generations (status, heartbeat_at)
  WHERE status IN ('pending', 'processing');
-- Public feed / tenant-wide recent completed generations (joined to boards.is_public).
CREATE INDEX ix_generations_tenant_created_completed ON generations (tenant_id, created_at DESC)
  WHERE status = 'completed';
-- Provider webhooks and polling: find the generation by the provider's job id. Leads with
-- external_job_id because a webhook does not know the tenant; also serves tenant-scoped lookups.
CREATE INDEX ix_generations_external_job_id ON generations (external_job_id)
  WHERE external_job_id IS NOT NULL;

CREATE TRIGGER trg_generations_updated_at
  BEFORE UPDATE ON generations
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_generations_tenant_match
  BEFORE INSERT OR UPDATE OF tenant_id, board_id, user_id ON generations
  FOR EACH ROW EXECUTE FUNCTION enforce_tenant_match('board_id', 'boards', 'user_id', 'users');

COMMENT ON TABLE generations IS 'One run of a generator (or one uploaded artifact) on a board: validated inputs, job state, produced artifacts and cost.';
COMMENT ON COLUMN generations.user_id IS 'Author (who ran or uploaded it). Deleting the user deletes their generations.';
COMMENT ON COLUMN generations.generator_name IS 'Registry name of the generator that ran; for uploads the app uses a reserved name (e.g. "upload").';
COMMENT ON COLUMN generations.source IS 'generator: produced by a generator run; upload: a user-supplied file registered as an artifact.';
COMMENT ON COLUMN generations.progress IS 'Fraction done on a 0..1 scale (not percent); exactly 1 when status = completed.';
COMMENT ON COLUMN generations.phase IS 'Finer progress stage shown to clients: queued | initializing | processing | finalizing.';
COMMENT ON COLUMN generations.status_message IS 'Latest human-readable progress message published by the worker.';
COMMENT ON COLUMN generations.input_params IS 'Inputs validated against the generator''s Pydantic model (JSON object); input artifacts are referenced by generation id here and recorded in generation_inputs.';
COMMENT ON COLUMN generations.output_metadata IS 'Generator/provider output details (JSON object), e.g. width, height, duration, seed, model version.';
COMMENT ON COLUMN generations.storage_url IS 'URL of the primary artifact (public or to be signed on read, depending on the storage backend).';
COMMENT ON COLUMN generations.storage_key IS 'Storage backend key of the primary artifact (tenant/board/generation/...), used to sign, fetch or delete it.';
COMMENT ON COLUMN generations.thumbnail_key IS 'Storage backend key of the thumbnail, if any.';
COMMENT ON COLUMN generations.additional_files IS 'JSON array of extra artifacts: [{"url", "key", "type", "metadata"}].';
COMMENT ON COLUMN generations.external_job_id IS 'Provider-side job/prediction id (Replicate, fal, OpenAI), used to match webhooks and to cancel.';
COMMENT ON COLUMN generations.estimated_cost IS 'Cost in credits estimated before running (generator estimate_cost); reserved from the credit ledger.';
COMMENT ON COLUMN generations.actual_cost IS 'Cost in credits actually charged once finished.';
COMMENT ON COLUMN generations.idempotency_key IS 'Client-supplied key: a retried create with the same (tenant, user, key) returns the existing generation.';
COMMENT ON COLUMN generations.attempt IS 'Number of job attempts started so far (0 before the first); incremented on each retry.';
COMMENT ON COLUMN generations.heartbeat_at IS 'Last liveness signal from the worker running it; the sweeper retries or fails active rows whose heartbeat is stale.';
COMMENT ON COLUMN generations.cancel_requested_at IS 'Set by cancelGeneration; the running job polls it and stops, then the status becomes cancelled.';
COMMENT ON COLUMN generations.completed_at IS 'When a terminal status (completed, failed, cancelled) was reached; NULL otherwise.';

-- ==== 0210_generation_inputs.sql ====
-- 0210_generation_inputs.sql
-- Lineage edges: which earlier generations' artifacts a generation consumed, and in which input field.
-- Walked recursively (bounded by maxDepth) for ancestry and descendants.

CREATE TABLE generation_inputs (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  generation_id uuid NOT NULL,
  input_generation_id uuid NOT NULL,
  role text NOT NULL,
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_generation_inputs PRIMARY KEY (id),
  CONSTRAINT fk_generation_inputs_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT fk_generation_inputs_generation_id FOREIGN KEY (generation_id)
    REFERENCES generations (id) ON DELETE CASCADE,
  -- CASCADE (not SET NULL): deleting an input generation removes the edge but keeps the generation
  -- made from it. Edges therefore always join two existing rows, and inputArtifacts.generationId
  -- stays non-null.
  CONSTRAINT fk_generation_inputs_input_generation_id FOREIGN KEY (input_generation_id)
    REFERENCES generations (id) ON DELETE CASCADE,
  -- One artifact per input slot (field name + list position).
  CONSTRAINT uq_generation_inputs_generation_role_position UNIQUE (generation_id, role, position),
  CONSTRAINT ck_generation_inputs_not_self CHECK (generation_id <> input_generation_id),
  CONSTRAINT ck_generation_inputs_role_length CHECK (char_length(role) BETWEEN 1 AND 100),
  CONSTRAINT ck_generation_inputs_position_nonnegative CHECK (position >= 0)
);

-- Descendants / "who used this artifact".
CREATE INDEX ix_generation_inputs_input_generation ON generation_inputs (input_generation_id);

CREATE TRIGGER trg_generation_inputs_updated_at
  BEFORE UPDATE ON generation_inputs
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_generation_inputs_tenant_match
  BEFORE INSERT OR UPDATE OF tenant_id, generation_id, input_generation_id ON generation_inputs
  FOR EACH ROW EXECUTE FUNCTION enforce_tenant_match('generation_id', 'generations', 'input_generation_id', 'generations');

COMMENT ON TABLE generation_inputs IS 'Lineage edge: generation_id consumed the artifact of input_generation_id in input field role (at position for list fields).';
COMMENT ON COLUMN generation_inputs.generation_id IS 'The consuming (child) generation.';
COMMENT ON COLUMN generation_inputs.input_generation_id IS 'The consumed (parent) generation whose artifact was an input. Same tenant, any board.';
COMMENT ON COLUMN generation_inputs.role IS 'Name of the generator input field that received the artifact, e.g. image, mask, reference.';
COMMENT ON COLUMN generation_inputs.position IS 'Index within a list-valued input field; 0 for single-valued fields.';

-- ==== 0300_tags.sql ====
-- 0300_tags.sql
-- Tags: tenant-wide labels, and their assignment to generations.

CREATE TABLE tags (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  name text NOT NULL,
  slug text NOT NULL,
  description text NULL,
  metadata jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_tags PRIMARY KEY (id),
  CONSTRAINT fk_tags_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT uq_tags_tenant_slug UNIQUE (tenant_id, slug),
  CONSTRAINT ck_tags_name_length CHECK (char_length(btrim(name)) BETWEEN 1 AND 100),
  CONSTRAINT ck_tags_slug_format CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,99}$'),
  CONSTRAINT ck_tags_description_length CHECK (description IS NULL OR char_length(description) <= 2000),
  CONSTRAINT ck_tags_metadata_object CHECK (jsonb_typeof(metadata) = 'object')
);

-- tags(limit, offset) listed by name.
CREATE INDEX ix_tags_tenant_name ON tags (tenant_id, name);

CREATE TRIGGER trg_tags_updated_at
  BEFORE UPDATE ON tags
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_tags_tenant_match
  BEFORE INSERT OR UPDATE OF tenant_id ON tags
  FOR EACH ROW EXECUTE FUNCTION enforce_tenant_match();

COMMENT ON TABLE tags IS 'A tenant-wide label that can be attached to generations (tagBySlug, addTagToGeneration).';
COMMENT ON COLUMN tags.slug IS 'URL-safe identifier, unique per tenant: lowercase letters, digits and hyphens, up to 100 characters.';
COMMENT ON COLUMN tags.metadata IS 'Open-ended data (JSON object), e.g. colour.';

CREATE TABLE generation_tags (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  generation_id uuid NOT NULL,
  tag_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_generation_tags PRIMARY KEY (id),
  CONSTRAINT fk_generation_tags_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT fk_generation_tags_generation_id FOREIGN KEY (generation_id)
    REFERENCES generations (id) ON DELETE CASCADE,
  CONSTRAINT fk_generation_tags_tag_id FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE,
  CONSTRAINT uq_generation_tags_generation_tag UNIQUE (generation_id, tag_id)
);

-- Generations carrying a tag (and tag deletion cascade).
CREATE INDEX ix_generation_tags_tag ON generation_tags (tag_id);

CREATE TRIGGER trg_generation_tags_updated_at
  BEFORE UPDATE ON generation_tags
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_generation_tags_tenant_match
  BEFORE INSERT OR UPDATE OF tenant_id, generation_id, tag_id ON generation_tags
  FOR EACH ROW EXECUTE FUNCTION enforce_tenant_match('generation_id', 'generations', 'tag_id', 'tags');

COMMENT ON TABLE generation_tags IS 'Assignment of a tag to a generation; unique per (generation, tag).';

-- ==== 0310_likes.sql ====
-- 0310_likes.sql
-- Likes: a user likes a generation, at most once.

CREATE TABLE likes (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  generation_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_likes PRIMARY KEY (id),
  CONSTRAINT fk_likes_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT fk_likes_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_likes_generation_id FOREIGN KEY (generation_id) REFERENCES generations (id) ON DELETE CASCADE,
  -- Also serves "did I like these?" and a user's likes.
  CONSTRAINT uq_likes_user_generation UNIQUE (user_id, generation_id)
);

-- likeCount per generation (batched by a dataloader).
CREATE INDEX ix_likes_generation ON likes (generation_id);

CREATE TRIGGER trg_likes_updated_at
  BEFORE UPDATE ON likes
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_likes_tenant_match
  BEFORE INSERT OR UPDATE OF tenant_id, user_id, generation_id ON likes
  FOR EACH ROW EXECUTE FUNCTION enforce_tenant_match('user_id', 'users', 'generation_id', 'generations');

COMMENT ON TABLE likes IS 'A user''s like of a generation; unique per (user, generation).';

-- ==== 0400_credits.sql ====
-- 0400_credits.sql
-- Credits: an append-only ledger per user. The balance is SUM(amount) over the user's entries.
-- A generation reserves its estimated cost when created and settles it when it ends.

CREATE TABLE credit_ledger (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  kind credit_entry_kind NOT NULL,
  amount numeric(12,4) NOT NULL,
  generation_id uuid NULL,
  reason text NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_credit_ledger PRIMARY KEY (id),
  CONSTRAINT fk_credit_ledger_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT fk_credit_ledger_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  -- SET NULL: deleting a generation must not rewrite the user's balance history.
  CONSTRAINT fk_credit_ledger_generation_id FOREIGN KEY (generation_id)
    REFERENCES generations (id) ON DELETE SET NULL,
  CONSTRAINT ck_credit_ledger_amount_sign CHECK (
    CASE kind
      WHEN 'grant' THEN amount > 0
      WHEN 'reserve' THEN amount < 0
      WHEN 'refund' THEN amount > 0
      WHEN 'adjustment' THEN amount <> 0
      ELSE true -- capture: any sign, including 0
    END
  ),
  CONSTRAINT ck_credit_ledger_reason_length CHECK (reason IS NULL OR char_length(reason) <= 500)
);

-- Idempotent settlement: at most one reserve, one capture and one refund per generation, so a
-- retried job cannot charge or refund twice.
CREATE UNIQUE INDEX uq_credit_ledger_generation_kind ON credit_ledger (generation_id, kind)
  WHERE generation_id IS NOT NULL AND kind IN ('reserve', 'capture', 'refund');
-- A user's history and balance.
CREATE INDEX ix_credit_ledger_tenant_user_created ON credit_ledger (tenant_id, user_id, created_at DESC);

CREATE TRIGGER trg_credit_ledger_updated_at
  BEFORE UPDATE ON credit_ledger
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_credit_ledger_tenant_match
  BEFORE INSERT OR UPDATE OF tenant_id, user_id, generation_id ON credit_ledger
  FOR EACH ROW EXECUTE FUNCTION enforce_tenant_match('user_id', 'users', 'generation_id', 'generations');

COMMENT ON TABLE credit_ledger IS 'Append-only credit ledger per user (balance = SUM(amount)); entries are never updated except generation_id going NULL when the generation is deleted.';
COMMENT ON COLUMN credit_ledger.amount IS
  'Signed change to the balance, in credits. grant > 0 (credits added); reserve < 0 (= -estimated_cost when the generation is created); capture = settlement on completion, any sign: reserved - actual_cost (0 when the estimate was exact, > 0 gives back the unused part, < 0 charges an overrun); refund > 0 (= the reserved amount, when the generation failed or was cancelled); adjustment <> 0 (manual correction). To avoid overspending, lock the users row (SELECT ... FOR UPDATE) before reading the balance and reserving.';
COMMENT ON COLUMN credit_ledger.kind IS 'grant | reserve | capture | refund | adjustment; see amount for signs.';
COMMENT ON COLUMN credit_ledger.generation_id IS 'Generation this entry reserves, captures or refunds for; NULL for grants, manual adjustments, or once the generation is deleted.';
COMMENT ON COLUMN credit_ledger.reason IS 'Human-readable note, e.g. "monthly grant" or who made an adjustment.';

-- ==== 0500_api_keys.sql ====
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

-- ==== 0510_refresh_tokens.sql ====
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

-- ==== 0600_webhook_events.sql ====
-- 0600_webhook_events.sql
-- Provider webhook idempotency: every verified webhook delivery is recorded once by
-- (provider, event_id); a redelivery hits the unique constraint and is acknowledged without
-- being processed again.

-- The one tenant-scoped-data exception: tenant_id is NULL on arrival, because a webhook is
-- authenticated by the provider's signature, not by a tenant; it is filled in (once) when the event
-- is matched to a generation through generations.external_job_id.
CREATE TABLE webhook_events (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NULL,
  provider text NOT NULL,
  event_id text NOT NULL,
  event_type text NULL,
  generation_id uuid NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz NULL,
  error_message text NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_webhook_events PRIMARY KEY (id),
  CONSTRAINT fk_webhook_events_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT fk_webhook_events_generation_id FOREIGN KEY (generation_id)
    REFERENCES generations (id) ON DELETE SET NULL,
  CONSTRAINT uq_webhook_events_provider_event UNIQUE (provider, event_id),
  CONSTRAINT ck_webhook_events_provider_length CHECK (char_length(provider) BETWEEN 1 AND 64),
  CONSTRAINT ck_webhook_events_event_id_length CHECK (char_length(event_id) BETWEEN 1 AND 255),
  -- A matched generation implies a known tenant (the trigger checks they agree).
  CONSTRAINT ck_webhook_events_generation_tenant CHECK (generation_id IS NULL OR tenant_id IS NOT NULL)
);

-- ON DELETE SET NULL when a generation is deleted; a generation's webhook history.
CREATE INDEX ix_webhook_events_generation ON webhook_events (generation_id) WHERE generation_id IS NOT NULL;
-- Retrying / purging unprocessed or old events.
CREATE INDEX ix_webhook_events_received_unprocessed ON webhook_events (received_at) WHERE processed_at IS NULL;

CREATE TRIGGER trg_webhook_events_updated_at
  BEFORE UPDATE ON webhook_events
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_webhook_events_tenant_match
  BEFORE INSERT OR UPDATE OF tenant_id, generation_id ON webhook_events
  FOR EACH ROW EXECUTE FUNCTION enforce_tenant_match('generation_id', 'generations');

COMMENT ON TABLE webhook_events IS 'Received provider webhook deliveries, unique per (provider, event_id) so each is processed once; tenant_id is NULL until matched to a generation.';
COMMENT ON COLUMN webhook_events.tenant_id IS 'NULL until the event is matched to a generation; then that generation''s tenant (set once, never changed).';
COMMENT ON COLUMN webhook_events.provider IS 'Provider name, e.g. replicate, fal, openai.';
COMMENT ON COLUMN webhook_events.event_id IS 'Provider''s delivery/event id (e.g. the webhook-id header); when the provider sends none, a hash of job id + status.';
COMMENT ON COLUMN webhook_events.event_type IS 'Provider event/status name, e.g. prediction.completed.';
COMMENT ON COLUMN webhook_events.payload IS 'Verified request body as received (JSON).';
COMMENT ON COLUMN webhook_events.processed_at IS 'When the event was applied to its generation; NULL while unprocessed or if processing failed.';
COMMENT ON COLUMN webhook_events.error_message IS 'Why processing failed (e.g. no generation with that external job id).';

-- ==== 0610_upload_intents.sql ====
-- 0610_upload_intents.sql
-- Presigned direct-to-storage uploads: the API issues a presigned URL for a reserved storage key,
-- the client uploads to storage directly, then confirms; confirmation checks the object and creates
-- the generation (source = 'upload').

CREATE TABLE upload_intents (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  board_id uuid NOT NULL,
  user_id uuid NOT NULL,
  storage_key text NOT NULL,
  content_type text NOT NULL,
  max_bytes bigint NOT NULL,
  artifact_type artifact_type NOT NULL,
  original_filename text NULL,
  size_bytes bigint NULL,
  expires_at timestamptz NOT NULL,
  confirmed_at timestamptz NULL,
  generation_id uuid NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_upload_intents PRIMARY KEY (id),
  CONSTRAINT fk_upload_intents_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT fk_upload_intents_board_id FOREIGN KEY (board_id) REFERENCES boards (id) ON DELETE CASCADE,
  CONSTRAINT fk_upload_intents_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_upload_intents_generation_id FOREIGN KEY (generation_id)
    REFERENCES generations (id) ON DELETE SET NULL,
  CONSTRAINT uq_upload_intents_storage_key UNIQUE (storage_key),
  CONSTRAINT ck_upload_intents_storage_key_not_empty CHECK (storage_key <> ''),
  CONSTRAINT ck_upload_intents_content_type_format CHECK (content_type ~ '^[a-z0-9.+-]+/[a-z0-9.+-]+$'),
  CONSTRAINT ck_upload_intents_max_bytes_positive CHECK (max_bytes > 0),
  CONSTRAINT ck_upload_intents_size_bytes_range CHECK (size_bytes IS NULL OR (size_bytes >= 0 AND size_bytes <= max_bytes)),
  CONSTRAINT ck_upload_intents_original_filename_length CHECK (
    original_filename IS NULL OR char_length(original_filename) <= 255
  ),
  -- Size is known once confirmed.
  CONSTRAINT ck_upload_intents_confirmed_size CHECK (confirmed_at IS NULL OR size_bytes IS NOT NULL)
);

-- A board's pending uploads (and board deletion cascade).
CREATE INDEX ix_upload_intents_board ON upload_intents (board_id);
-- A user's uploads (and user deletion cascade).
CREATE INDEX ix_upload_intents_tenant_user_created ON upload_intents (tenant_id, user_id, created_at DESC);
-- Cleanup of expired, never-confirmed intents (and their orphan objects).
CREATE INDEX ix_upload_intents_expires_unconfirmed ON upload_intents (expires_at) WHERE confirmed_at IS NULL;
-- ON DELETE SET NULL when the generation is deleted.
CREATE INDEX ix_upload_intents_generation ON upload_intents (generation_id) WHERE generation_id IS NOT NULL;

CREATE TRIGGER trg_upload_intents_updated_at
  BEFORE UPDATE ON upload_intents
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_upload_intents_tenant_match
  BEFORE INSERT OR UPDATE OF tenant_id, board_id, user_id, generation_id ON upload_intents
  FOR EACH ROW EXECUTE FUNCTION enforce_tenant_match('board_id', 'boards', 'user_id', 'users', 'generation_id', 'generations');

COMMENT ON TABLE upload_intents IS 'A presigned direct upload: the storage key, limits and expiry granted to a user for one file on a board, and the generation it became once confirmed.';
COMMENT ON COLUMN upload_intents.storage_key IS 'Storage key reserved for the object (tenant/board/uploads/...); the presigned URL allows a PUT/POST to this key only.';
COMMENT ON COLUMN upload_intents.content_type IS 'Declared MIME type, lowercase without parameters; confirmation re-checks it against the sniffed bytes.';
COMMENT ON COLUMN upload_intents.max_bytes IS 'Largest object size the presigned upload allows, in bytes.';
COMMENT ON COLUMN upload_intents.size_bytes IS 'Actual object size in bytes, recorded on confirmation.';
COMMENT ON COLUMN upload_intents.expires_at IS 'The presigned URL expires then; unconfirmed intents past it are cleaned up.';
COMMENT ON COLUMN upload_intents.confirmed_at IS 'When the client confirmed and the object was verified; NULL while pending.';
COMMENT ON COLUMN upload_intents.generation_id IS 'Generation created from this upload on confirmation (NULL before, or if that generation was deleted).';
