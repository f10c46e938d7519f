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
  disabled_at timestamptz NULL,
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
COMMENT ON COLUMN tenants.disabled_at IS 'When an instance admin disabled the tenant (NULL = active): every request of its users is refused and its workers start no new generation; its data is kept.';
