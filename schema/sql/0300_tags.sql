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
