-- 0205_generation_leases.sql
-- Leases with fencing: a worker claims a generation with a compare-and-set that only matches a pending
-- row, or a processing row whose lease ran out; the claim records who holds it and until when, and bumps
-- `attempt`. Every later write of that run is conditional on the attempt it claimed, so a run that lost
-- its lease (a paused or partitioned worker) is refused and stops itself.

ALTER TABLE generations
  ADD COLUMN lease_owner text NULL,
  ADD COLUMN lease_expires_at timestamptz NULL,
  ADD COLUMN failures integer NOT NULL DEFAULT 0,
  ADD COLUMN error_code text NULL,
  ADD CONSTRAINT ck_generations_failures_nonnegative CHECK (failures >= 0),
  ADD CONSTRAINT ck_generations_error_code_format CHECK (
    error_code IS NULL OR error_code ~ '^[A-Z][A-Z0-9_]{1,63}$'
  ),
  ADD CONSTRAINT ck_generations_lease_only_processing CHECK (
    status = 'processing' OR (lease_owner IS NULL AND lease_expires_at IS NULL)
  );

-- Sweeper (cross-tenant): processing rows by lease expiry. Partial, so it stays tiny.
CREATE INDEX ix_generations_processing_lease ON generations (lease_expires_at)
  WHERE status = 'processing';
-- Sweeper: pending rows by age (their job may have been lost with Redis).
CREATE INDEX ix_generations_pending_updated ON generations (updated_at)
  WHERE status = 'pending';

COMMENT ON COLUMN generations.lease_owner IS 'The worker process holding the running attempt (host, pid and a nonce); NULL unless processing.';
COMMENT ON COLUMN generations.lease_expires_at IS 'Until when the holder''s claim stands; its worker renews it while alive. Past it, another worker may claim the row.';
COMMENT ON COLUMN generations.failures IS 'Attempts that failed (error, lost worker); a drained worker''s hand-back does not count. Bounded by the retry budget.';
COMMENT ON COLUMN generations.error_code IS 'Machine-readable reason of a failure (e.g. STORAGE_FULL, STORAGE_UNAVAILABLE, WORKER_LOST, GENERATOR_FAILED).';
