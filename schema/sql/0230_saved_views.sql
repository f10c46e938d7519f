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
