-- 0700_audit_log.sql
-- Audit log: every admin action (credits granted or revoked, …) with who did it, to what, and why.
-- Append-only; the CLI (an operator on the machine) acts without a user and is labelled "cli".

CREATE TABLE audit_log (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  actor_user_id uuid NULL,
  actor_label text NOT NULL,
  action text NOT NULL,
  target_type text NOT NULL,
  target_id uuid NULL,
  details jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_audit_log PRIMARY KEY (id),
  CONSTRAINT fk_audit_log_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  -- SET NULL: the record of what an admin did outlives their account (actor_label keeps who it was).
  CONSTRAINT fk_audit_log_actor_user_id FOREIGN KEY (actor_user_id) REFERENCES users (id) ON DELETE SET NULL,
  CONSTRAINT ck_audit_log_actor_label_length CHECK (char_length(actor_label) BETWEEN 1 AND 320),
  CONSTRAINT ck_audit_log_action_length CHECK (char_length(action) BETWEEN 1 AND 64),
  CONSTRAINT ck_audit_log_target_type_length CHECK (char_length(target_type) BETWEEN 1 AND 64),
  CONSTRAINT ck_audit_log_details_object CHECK (jsonb_typeof(details) = 'object')
);

-- A tenant's log, newest first.
CREATE INDEX ix_audit_log_tenant_created ON audit_log (tenant_id, created_at DESC);

COMMENT ON TABLE audit_log IS 'Append-only record of admin actions (REST, GraphQL and CLI alike).';
COMMENT ON COLUMN audit_log.actor_label IS 'Who acted, readable after the account is gone: an e-mail, a user id, or "cli".';
COMMENT ON COLUMN audit_log.action IS 'What was done, e.g. credits.grant, credits.revoke.';
COMMENT ON COLUMN audit_log.details IS 'The action''s parameters (amount, reason, …) as a JSON object.';
