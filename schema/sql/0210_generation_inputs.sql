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
