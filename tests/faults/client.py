"""What a scenario does to and reads from a deployment: REST calls, SQL reads, the credit grant, the audit trigger."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import psycopg

TERMINAL = ("completed", "failed", "cancelled")
GRANT = 1_000_000  # credits for the local user: every run costs COST, so settlement shows in the ledger
COST = 1
BATCH = 16  # the API's largest batch

# Records every change of a generation's status or attempt (instrumentation of the real database, not a mock):
# a row that becomes `completed` twice shows up here even when the last write wins.
AUDIT_SQL = """
CREATE TABLE IF NOT EXISTS fault_audit (
  generation_id uuid NOT NULL, old_status text, new_status text, old_attempt int, new_attempt int,
  at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE OR REPLACE FUNCTION fault_audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status OR NEW.attempt IS DISTINCT FROM OLD.attempt THEN
    INSERT INTO fault_audit VALUES (NEW.id, OLD.status::text, NEW.status::text, OLD.attempt, NEW.attempt);
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS fault_audit ON generations;
CREATE TRIGGER fault_audit AFTER UPDATE ON generations FOR EACH ROW EXECUTE FUNCTION fault_audit_row();
"""


class Client:
    """REST as a user sees it (the `none` auth mode's developer), and SQL for what only the database knows."""

    def __init__(self, base_url: str, dsn: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30.0)
        self.dsn = dsn
        self.board_id: str | None = None

    def close(self) -> None:
        self.http.close()

    def sql(self, query: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.dsn, autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def prepare(self) -> None:
        """A board, credits for the developer user (created by the first request), the audit trigger."""
        if self.board_id is not None:
            return
        response = self.http.post("/api/v1/boards", json={"title": "faults"})
        assert response.status_code == 201, response.text
        self.board_id = response.json()["id"]
        self.sql(AUDIT_SQL)
        self.sql(
            "INSERT INTO credit_ledger (tenant_id, user_id, kind, amount, reason)"
            " SELECT tenant_id, id, 'grant', %(grant)s, 'fault suite' FROM users WHERE auth_provider = 'none'",
            {"grant": GRANT},
        )

    def create(self, count: int, **inputs: Any) -> list[str]:
        """`count` atelier-test generations through REST (8 at a time); returns their ids."""
        self.prepare()
        body = {
            "boardId": self.board_id,
            "generatorName": "atelier-test",
            "inputParams": {"cost": COST, **inputs},
        }

        def one(_: int) -> str:
            response = self.http.post("/api/v1/generations", json=body)
            assert response.status_code in (200, 201, 202), f"create: {response.status_code} {response.text}"
            return str(response.json()["id"])

        with ThreadPoolExecutor(max_workers=8) as pool:
            return list(pool.map(one, range(count)))

    def create_batched(self, count: int, **inputs: Any) -> list[str]:
        """`count` atelier-test generations in batches of BATCH (one request each, all at once): their jobs
        are queued within a fraction of a second, so every run is under way long before the first ends."""
        self.prepare()
        body = {
            "boardId": self.board_id,
            "generatorName": "atelier-test",
            "inputParams": {"cost": COST, **inputs},
        }

        def batch(size: int) -> list[str]:
            response = self.http.post("/api/v1/generation-batches", json={**body, "count": size})
            assert response.status_code in (200, 201), f"batch: {response.status_code} {response.text}"
            return [str(item["id"]) for item in response.json()["items"]]

        sizes = [min(BATCH, count - start) for start in range(0, count, BATCH)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            return [g for ids in pool.map(batch, sizes) for g in ids]

    def statuses(self, ids: list[str]) -> dict[str, str]:
        rows = self.sql(
            "SELECT id::text, status::text FROM generations WHERE id = ANY(%(ids)s::uuid[])", {"ids": ids}
        )
        return {str(g): str(status) for g, status in rows}

    def wait_status(self, ids: list[str], wanted: tuple[str, ...], timeout: float) -> dict[str, str]:
        """Poll until every id is in one of `wanted` (or the timeout passes); returns the last statuses."""
        deadline = time.monotonic() + timeout
        while True:
            current = self.statuses(ids)
            if all(current.get(g) in wanted for g in ids) or time.monotonic() >= deadline:
                return current
            time.sleep(0.2)

    def rows(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """status, attempt, error and the epoch of the terminal write, per generation."""
        query = (
            "SELECT id::text, status::text, attempt, coalesce(error_message, ''), extract(epoch FROM completed_at)"
            " FROM generations WHERE id = ANY(%(ids)s::uuid[])"
        )
        return {
            g: {"status": s, "attempt": a, "error": e, "completed_at": float(c) if c is not None else None}
            for g, s, a, e, c in self.sql(query, {"ids": ids})
        }

    def ledger(self, ids: list[str]) -> dict[str, dict[str, int]]:
        """Entries per generation and kind (reserve, capture, refund)."""
        query = (
            "SELECT generation_id::text, kind::text, count(*) FROM credit_ledger"
            " WHERE generation_id = ANY(%(ids)s::uuid[]) GROUP BY 1, 2"
        )
        result: dict[str, dict[str, int]] = {g: {} for g in ids}
        for g, kind, count in self.sql(query, {"ids": ids}):
            result[g][kind] = int(count)
        return result

    def completions(self, ids: list[str]) -> dict[str, int]:
        """How many times each row became `completed` (from the audit trigger)."""
        query = (
            "SELECT generation_id::text, count(*) FROM fault_audit"
            " WHERE new_status = 'completed' AND generation_id = ANY(%(ids)s::uuid[]) GROUP BY 1"
        )
        return {g: int(n) for g, n in self.sql(query, {"ids": ids})}
