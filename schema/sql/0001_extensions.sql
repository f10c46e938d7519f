-- 0001_extensions.sql
-- Extensions the schema relies on. Both ship with PostgreSQL's contrib (and with the embedded server).
-- UUIDs come from gen_random_uuid(), which is core since PostgreSQL 13: no pgcrypto / uuid-ossp.

-- Trigram GIN indexes behind the ILIKE searches (searchBoards, searchUsers).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Case-insensitive text for e-mail addresses (users.email, board_invitations.email).
CREATE EXTENSION IF NOT EXISTS citext;
