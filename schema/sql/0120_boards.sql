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
