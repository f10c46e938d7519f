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
