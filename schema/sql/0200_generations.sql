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
