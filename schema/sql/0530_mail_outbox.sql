-- 0530_mail_outbox.sql
-- Outgoing mail, written in the same transaction as the change that causes it and delivered by a SAQ
-- job (SMTP, or a file outbox in the embedded default): a rolled-back sign-up sends nothing, and a
-- committed one is delivered even if the queue or the SMTP server was briefly away.

CREATE TABLE mail_outbox (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  to_address citext NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz NULL,
  last_error text NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_mail_outbox PRIMARY KEY (id),
  CONSTRAINT fk_mail_outbox_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT ck_mail_outbox_subject_length CHECK (char_length(subject) BETWEEN 1 AND 300),
  CONSTRAINT ck_mail_outbox_attempts CHECK (attempts >= 0)
);

-- What the drain job takes next: unsent mail that is due.
CREATE INDEX ix_mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL;

CREATE TRIGGER trg_mail_outbox_updated_at
  BEFORE UPDATE ON mail_outbox
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE mail_outbox IS 'Mail to deliver; a SAQ job sends due rows (SMTP or the file outbox) and marks them sent.';
COMMENT ON COLUMN mail_outbox.next_attempt_at IS 'Not before this time: a failed delivery backs off exponentially.';
COMMENT ON COLUMN mail_outbox.last_error IS 'Why the last delivery attempt failed (kept for operators).';
