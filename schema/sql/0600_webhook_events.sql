-- 0600_webhook_events.sql
-- Provider webhook idempotency: every verified webhook delivery is recorded once by
-- (provider, event_id); a redelivery hits the unique constraint and is acknowledged without
-- being processed again.

-- The one tenant-scoped-data exception: tenant_id is NULL on arrival, because a webhook is
-- authenticated by the provider's signature, not by a tenant; it is filled in (once) when the event
-- is matched to a generation through generations.external_job_id.
CREATE TABLE webhook_events (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NULL,
  provider text NOT NULL,
  event_id text NOT NULL,
  event_type text NULL,
  generation_id uuid NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz NULL,
  error_message text NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_webhook_events PRIMARY KEY (id),
  CONSTRAINT fk_webhook_events_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT fk_webhook_events_generation_id FOREIGN KEY (generation_id)
    REFERENCES generations (id) ON DELETE SET NULL,
  CONSTRAINT uq_webhook_events_provider_event UNIQUE (provider, event_id),
  CONSTRAINT ck_webhook_events_provider_length CHECK (char_length(provider) BETWEEN 1 AND 64),
  CONSTRAINT ck_webhook_events_event_id_length CHECK (char_length(event_id) BETWEEN 1 AND 255),
  -- A matched generation implies a known tenant (the trigger checks they agree).
  CONSTRAINT ck_webhook_events_generation_tenant CHECK (generation_id IS NULL OR tenant_id IS NOT NULL)
);

-- ON DELETE SET NULL when a generation is deleted; a generation's webhook history.
CREATE INDEX ix_webhook_events_generation ON webhook_events (generation_id) WHERE generation_id IS NOT NULL;
-- Retrying / purging unprocessed or old events.
CREATE INDEX ix_webhook_events_received_unprocessed ON webhook_events (received_at) WHERE processed_at IS NULL;

CREATE TRIGGER trg_webhook_events_updated_at
  BEFORE UPDATE ON webhook_events
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_webhook_events_tenant_match
  BEFORE INSERT OR UPDATE OF tenant_id, generation_id ON webhook_events
  FOR EACH ROW EXECUTE FUNCTION enforce_tenant_match('generation_id', 'generations');

COMMENT ON TABLE webhook_events IS 'Received provider webhook deliveries, unique per (provider, event_id) so each is processed once; tenant_id is NULL until matched to a generation.';
COMMENT ON COLUMN webhook_events.tenant_id IS 'NULL until the event is matched to a generation; then that generation''s tenant (set once, never changed).';
COMMENT ON COLUMN webhook_events.provider IS 'Provider name, e.g. replicate, fal, openai.';
COMMENT ON COLUMN webhook_events.event_id IS 'Provider''s delivery/event id (e.g. the webhook-id header); when the provider sends none, a hash of job id + status.';
COMMENT ON COLUMN webhook_events.event_type IS 'Provider event/status name, e.g. prediction.completed.';
COMMENT ON COLUMN webhook_events.payload IS 'Verified request body as received (JSON).';
COMMENT ON COLUMN webhook_events.processed_at IS 'When the event was applied to its generation; NULL while unprocessed or if processing failed.';
COMMENT ON COLUMN webhook_events.error_message IS 'Why processing failed (e.g. no generation with that external job id).';
