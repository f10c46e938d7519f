-- 0010_enums.sql
-- Native enum types. Values are lowercase; GraphQL exposes them UPPER_CASE.

CREATE TYPE artifact_type AS ENUM ('image', 'video', 'audio', 'text', 'lora', 'model');
COMMENT ON TYPE artifact_type IS 'Kind of artifact a generation produces (or an upload holds).';

CREATE TYPE generation_status AS ENUM ('pending', 'processing', 'completed', 'failed', 'cancelled');
COMMENT ON TYPE generation_status IS
  'Generation lifecycle: pending -> processing -> completed | failed | cancelled (the last three are terminal).';

CREATE TYPE board_role AS ENUM ('viewer', 'editor', 'admin');
COMMENT ON TYPE board_role IS
  'Board member role: viewer reads, editor creates and manages generations, admin also manages the board and its members.';

CREATE TYPE invitation_status AS ENUM ('pending', 'accepted', 'revoked', 'expired');
COMMENT ON TYPE invitation_status IS 'Lifecycle of a board invitation sent by e-mail.';

CREATE TYPE credit_entry_kind AS ENUM ('grant', 'reserve', 'capture', 'refund', 'adjustment');
COMMENT ON TYPE credit_entry_kind IS
  'Credit ledger entry kind; see COMMENT ON COLUMN credit_ledger.amount for the sign convention.';
