-- 0220_generation_search.sql
-- Finding generations: a stored full-text vector over the prompt and the other text inputs (GIN), trigram
-- matching of the prompt for partial words, and batches (one request, N variations, stacked by batch_id).
-- Kept apart from 0200 so the lifecycle's columns and these evolve without touching each other.

ALTER TABLE generations
  ADD COLUMN batch_id uuid NULL,
  ADD COLUMN batch_index integer NULL,
  -- Weights: the prompt (A) outranks the generator's name (B), the negative prompt (C) and every other
  -- string input (D: style names, LoRA names, schedulers, ...). 'english' stems, so "running" finds "run".
  ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, COALESCE(input_params ->> 'prompt', '')), 'A')
    || setweight(to_tsvector('english'::regconfig, generator_name), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE(input_params ->> 'negative_prompt', '')), 'C')
    || setweight(
      jsonb_to_tsvector('english'::regconfig, input_params - 'prompt' - 'negative_prompt', '["string"]'), 'D'
    )
  ) STORED,
  ADD CONSTRAINT ck_generations_batch_pair CHECK ((batch_id IS NULL) = (batch_index IS NULL)),
  ADD CONSTRAINT ck_generations_batch_index_range CHECK (batch_index IS NULL OR batch_index BETWEEN 0 AND 999);

-- Full-text search (searchGenerations q=...).
CREATE INDEX ix_generations_search_vector ON generations USING gin (search_vector);
-- Partial words inside the prompt ("naut" finds "astronaut"): prompt ILIKE '%naut%'.
CREATE INDEX ix_generations_prompt_trgm ON generations USING gin ((input_params ->> 'prompt') gin_trgm_ops);
-- A batch's generations in order (stacks, cancel/regenerate a batch).
CREATE INDEX ix_generations_batch ON generations (batch_id, batch_index) WHERE batch_id IS NOT NULL;
-- Tenant-wide newest first with a stable tie-break (search sorted by time, keyset pages).
CREATE INDEX ix_generations_tenant_created_id ON generations (tenant_id, created_at DESC, id DESC);

COMMENT ON COLUMN generations.batch_id IS 'Set when the generation was created as one of a batch of variations; shared by the batch.';
COMMENT ON COLUMN generations.batch_index IS 'Position of the generation in its batch (0-based); NULL outside a batch.';
COMMENT ON COLUMN generations.search_vector IS 'Full-text vector of the prompt (A), generator name (B), negative prompt (C) and other string inputs (D).';
-- 0230_saved_views.sql
-- Saved views: a user's named generation searches, optionally shared with everyone who can read a board.

CREATE TABLE saved_views (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  board_id uuid NULL,
  name text NOT NULL,
  query jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_saved_views PRIMARY KEY (id),
  CONSTRAINT fk_saved_views_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT fk_saved_views_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_saved_views_board_id FOREIGN KEY (board_id) REFERENCES boards (id) ON DELETE CASCADE,
  CONSTRAINT uq_saved_views_tenant_user_name UNIQUE (tenant_id, user_id, name),
  CONSTRAINT ck_saved_views_name_length CHECK (char_length(btrim(name)) BETWEEN 1 AND 100),
  CONSTRAINT ck_saved_views_query_object CHECK (jsonb_typeof(query) = 'object')
);

-- Views shared on a board (listed to its readers).
CREATE INDEX ix_saved_views_board ON saved_views (board_id) WHERE board_id IS NOT NULL;

CREATE TRIGGER trg_saved_views_updated_at
  BEFORE UPDATE ON saved_views
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_saved_views_tenant_match
  BEFORE INSERT OR UPDATE OF tenant_id, user_id, board_id ON saved_views
  FOR EACH ROW EXECUTE FUNCTION enforce_tenant_match('user_id', 'users', 'board_id', 'boards');

COMMENT ON TABLE saved_views IS 'A named generation search of a user; shared with the readers of board_id when set.';
COMMENT ON COLUMN saved_views.query IS 'The search (GenerationSearchQuery without cursor) as a JSON object.';
