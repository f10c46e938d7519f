-- 0400_credits.sql
-- Credits: an append-only ledger per user. The balance is SUM(amount) over the user's entries.
-- A generation reserves its estimated cost when created and settles it when it ends.

CREATE TABLE credit_ledger (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  kind credit_entry_kind NOT NULL,
  amount numeric(12,4) NOT NULL,
  generation_id uuid NULL,
  reason text NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_credit_ledger PRIMARY KEY (id),
  CONSTRAINT fk_credit_ledger_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT fk_credit_ledger_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  -- SET NULL: deleting a generation must not rewrite the user's balance history.
  CONSTRAINT fk_credit_ledger_generation_id FOREIGN KEY (generation_id)
    REFERENCES generations (id) ON DELETE SET NULL,
  CONSTRAINT ck_credit_ledger_amount_sign CHECK (
    CASE kind
      WHEN 'grant' THEN amount > 0
      WHEN 'reserve' THEN amount < 0
      WHEN 'refund' THEN amount > 0
      WHEN 'adjustment' THEN amount <> 0
      ELSE true -- capture: any sign, including 0
    END
  ),
  CONSTRAINT ck_credit_ledger_reason_length CHECK (reason IS NULL OR char_length(reason) <= 500)
);

-- Idempotent settlement: at most one reserve, one capture and one refund per generation, so a
-- retried job cannot charge or refund twice.
CREATE UNIQUE INDEX uq_credit_ledger_generation_kind ON credit_ledger (generation_id, kind)
  WHERE generation_id IS NOT NULL AND kind IN ('reserve', 'capture', 'refund');
-- A user's history and balance.
CREATE INDEX ix_credit_ledger_tenant_user_created ON credit_ledger (tenant_id, user_id, created_at DESC);

CREATE TRIGGER trg_credit_ledger_updated_at
  BEFORE UPDATE ON credit_ledger
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_credit_ledger_tenant_match
  BEFORE INSERT OR UPDATE OF tenant_id, user_id, generation_id ON credit_ledger
  FOR EACH ROW EXECUTE FUNCTION enforce_tenant_match('user_id', 'users', 'generation_id', 'generations');

COMMENT ON TABLE credit_ledger IS 'Append-only credit ledger per user (balance = SUM(amount)); entries are never updated except generation_id going NULL when the generation is deleted.';
COMMENT ON COLUMN credit_ledger.amount IS
  'Signed change to the balance, in credits. grant > 0 (credits added); reserve < 0 (= -estimated_cost when the generation is created); capture = settlement on completion, any sign: reserved - actual_cost (0 when the estimate was exact, > 0 gives back the unused part, < 0 charges an overrun); refund > 0 (= the reserved amount, when the generation failed or was cancelled); adjustment <> 0 (manual correction). To avoid overspending, lock the users row (SELECT ... FOR UPDATE) before reading the balance and reserving.';
COMMENT ON COLUMN credit_ledger.kind IS 'grant | reserve | capture | refund | adjustment; see amount for signs.';
COMMENT ON COLUMN credit_ledger.generation_id IS 'Generation this entry reserves, captures or refunds for; NULL for grants, manual adjustments, or once the generation is deleted.';
COMMENT ON COLUMN credit_ledger.reason IS 'Human-readable note, e.g. "monthly grant" or who made an adjustment.';
