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
