"""bench.compare reads two saved bench outputs: the one-connection line of each row and its plans."""

from __future__ import annotations

from bench.compare import parse, table

SMALL = """| row | conn | req/s | p50 ms | p99 ms | errors | CPU ms/req | target |
|---|---:|---:|---:|---:|---:|---:|---:|
| growth: GraphQL searchUsers | 1 | 70.0 | 12.6 | 55.7 | 0 | 3.77 | |
| growth: GraphQL searchUsers | 32 | 170.0 | 99.6 | 155.7 | 0 | 4.77 | |
| growth: GraphQL tags(limit: 100) | 1 | 38.4 | 24.0 | 65.2 | 0 | 4.12 | |

plans of growth: GraphQL searchUsers (1 statements):
      0.17 ms     25 buf  Bitmap Heap Scan on users; Bitmap Index Scan on ix_users_display_name_trgm  | SELECT users.id
plans of growth: GraphQL tags(limit: 100) (1 statements):
      0.10 ms  Index Scan ix_tags_tenant_name on tags  | SELECT tags.id
plans of one sweeper pass: 20.1 ms (2 statements):
      0.50 ms  Index Scan ix_generations_status_heartbeat on generations  | UPDATE generations
"""

LARGE = """| growth: GraphQL searchUsers | 1 | 25.0 | 38.2 | 77.3 | 0 | 4.09 | |
| growth: GraphQL tags(limit: 100) | 1 | 125 | 5.89 | 46.7 | 0 | 3.32 | |

plans of growth: GraphQL searchUsers (1 statements):
     26.87 ms   2265 buf  Bitmap Heap Scan on users; Bitmap Index Scan on ix_users_display_name_trgm  | SELECT users.id
plans of growth: GraphQL tags(limit: 100) (1 statements):
      0.10 ms  Index Scan ix_tags_tenant_name on tags  | SELECT tags.id
      7.80 ms  Seq Scan on tags ⚠ SEQ SCAN ON A LARGE TABLE  | SELECT count(*)
plans of one sweeper pass: 19.4 ms (2 statements):
      0.40 ms  Index Scan ix_generations_status_heartbeat on generations  | UPDATE generations
"""


def test_rows_take_the_one_connection_line_and_sum_their_statements() -> None:
    rows = parse(SMALL)
    users = rows["growth: GraphQL searchUsers"]
    assert (users.p50, users.cpu, users.sql_ms, users.buffers, users.seq_scans) == (12.6, 3.77, 0.17, 25, [])
    assert rows["one sweeper pass"].sql_ms == 0.5
    assert parse(LARGE)["growth: GraphQL tags(limit: 100)"].seq_scans == ["Seq Scan on tags"]


def test_the_table_flags_statement_growth_and_large_seq_scans() -> None:
    lines = table(parse(SMALL), parse(LARGE), ("@1", "@100")).splitlines()
    users = next(line for line in lines if "searchUsers" in line)
    assert "| 12.6 | 38.2 | 3.0× |" in users and "| 25 | 2,265 | 90.6× |" in users
    assert "buffers grew > 1.5×" in users
    tags = next(line for line in lines if "tags" in line)
    assert "⚠ Seq Scan on tags" in tags
    sweeper = next(line for line in lines if "sweeper" in line)
    assert sweeper.endswith("| ok |")  # 0.5 → 0.4 ms, no buffer counts: judged by time


def test_buffers_decide_when_both_runs_have_them() -> None:
    small = parse("plans of r (1 statements):\n      0.10 ms     40 buf  Index Scan pk on t  | SELECT\n")
    large = parse("plans of r (1 statements):\n      9.00 ms     50 buf  Index Scan pk on t  | SELECT\n")
    assert table(small, large, ("@1", "@100")).splitlines()[-1].endswith("| ok |")  # slower, not bigger
