-- A small DDL exercising what the SQL generator must get right: enums, JSONB objects and arrays, a column
-- named like SQLAlchemy's `metadata`, named constraints, a partial index, comments and column order.
CREATE TYPE mood AS ENUM ('calm', 'busy');

CREATE TABLE shelves (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  CONSTRAINT pk_shelves PRIMARY KEY (id)
);
COMMENT ON TABLE shelves IS 'Where books stand.';

CREATE TABLE books (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  shelf_id uuid NOT NULL,
  title text NOT NULL,
  subtitle text NULL,
  mood mood NOT NULL DEFAULT 'calm',
  metadata jsonb NOT NULL DEFAULT '{}',
  tags jsonb NOT NULL DEFAULT '[]',
  price numeric(8,2) NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_books PRIMARY KEY (id),
  CONSTRAINT fk_books_shelf_id FOREIGN KEY (shelf_id) REFERENCES shelves (id) ON DELETE CASCADE,
  CONSTRAINT uq_books_shelf_title UNIQUE (shelf_id, title),
  CONSTRAINT ck_books_price CHECK (price IS NULL OR price >= 0)
);
CREATE INDEX ix_books_calm ON books (shelf_id) WHERE mood = 'calm';
COMMENT ON COLUMN books.tags IS 'A JSON array of strings.';
