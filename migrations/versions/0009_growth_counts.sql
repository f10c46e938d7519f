-- 0240_board_generation_counts.sql
-- A board's generation count, kept by the statements that add or remove its generations.
--
-- Board.generationCount is shown on every board card (myBoards, publicBoards, GetBoard). Counting at read
-- time visited one heap page per generation: the 16 boards of myBoards at 1,000,000 generations were a
-- Bitmap Heap Scan of ~1,600 rows on as many pages (46 ms), growing with every board's history. An
-- index-only count would need every recent page all-visible, which a table whose newest rows are updated
-- by every running job never is. So the count is maintained: statement-level triggers with transition
-- tables add or subtract one aggregate per board and statement (one upsert for a batch, or for a COPY of a
-- million rows), in the writing transaction, so it is exact at every snapshot. Rows are made on a board's
-- first generation; a board without a row has none. The counter row is a separate table, not a boards
-- column, so counting neither bumps boards.updated_at (the UPDATED_* sorts) nor takes the board row's
-- lock that foreign keys share. Writers of one board serialise on its counter row until they commit,
-- which a create's short transaction keeps brief; multi-board statements lock rows in board_id order.

CREATE TABLE board_generation_counts (
  board_id uuid NOT NULL,
  tenant_id uuid NOT NULL,
  generation_count bigint NOT NULL DEFAULT 0,
  CONSTRAINT pk_board_generation_counts PRIMARY KEY (board_id, tenant_id),
  CONSTRAINT fk_board_generation_counts_board_id FOREIGN KEY (board_id) REFERENCES boards (id) ON DELETE CASCADE,
  CONSTRAINT fk_board_generation_counts_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE FUNCTION count_board_generations() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO board_generation_counts AS c (board_id, tenant_id, generation_count)
    SELECT board_id, tenant_id, count(*) FROM added GROUP BY board_id, tenant_id ORDER BY board_id
    ON CONFLICT (board_id, tenant_id) DO UPDATE SET generation_count = c.generation_count + EXCLUDED.generation_count;
  ELSE
    UPDATE board_generation_counts AS c SET generation_count = c.generation_count - gone.n
    FROM (SELECT tenant_id, board_id, count(*) AS n FROM removed GROUP BY 1, 2 ORDER BY 2) AS gone
    WHERE c.tenant_id = gone.tenant_id AND c.board_id = gone.board_id;
  END IF;
  RETURN NULL;
END;
$$;

COMMENT ON FUNCTION count_board_generations() IS
  'AFTER statement trigger on generations: adds the inserted rows (transition table added) to, and '
  'subtracts the deleted ones (removed) from, board_generation_counts, one aggregate per board.';

CREATE FUNCTION move_board_generation() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE board_generation_counts SET generation_count = generation_count - 1 WHERE tenant_id = OLD.tenant_id AND board_id = OLD.board_id;
  INSERT INTO board_generation_counts AS c (board_id, tenant_id, generation_count)
  VALUES (NEW.board_id, NEW.tenant_id, 1)
  ON CONFLICT (board_id, tenant_id) DO UPDATE SET generation_count = c.generation_count + 1;
  RETURN NULL;
END;
$$;

COMMENT ON FUNCTION move_board_generation() IS
  'AFTER UPDATE OF board_id row trigger on generations: moves one generation''s count to its new board.';

CREATE FUNCTION reset_board_generation_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM board_generation_counts;
  RETURN NULL;
END;
$$;

COMMENT ON FUNCTION reset_board_generation_counts() IS
  'AFTER TRUNCATE trigger on generations: no board has a generation any more.';

CREATE TRIGGER trg_generations_count_insert
  AFTER INSERT ON generations REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION count_board_generations();

CREATE TRIGGER trg_generations_count_delete
  AFTER DELETE ON generations REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION count_board_generations();

-- Only an UPDATE that names board_id and changes it (lifecycle writes never name it: no cost for them).
CREATE TRIGGER trg_generations_count_move
  AFTER UPDATE OF board_id ON generations
  FOR EACH ROW WHEN (OLD.board_id IS DISTINCT FROM NEW.board_id) EXECUTE FUNCTION move_board_generation();

CREATE TRIGGER trg_generations_count_truncate
  AFTER TRUNCATE ON generations
  FOR EACH STATEMENT EXECUTE FUNCTION reset_board_generation_counts();

COMMENT ON TABLE board_generation_counts IS
  'How many generations each board has, kept exact by triggers on generations (no row = none).';
COMMENT ON COLUMN board_generation_counts.tenant_id IS 'The board''s tenant (in the key: reads are tenant-scoped).';
