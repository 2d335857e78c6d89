"""The README's example rule in DuckDB, as `kitle segment --repeat N` times it.

Reads the customers CSV into an in-memory table once (channel as an ENUM, as
Kitle keeps it as categories), then times the rule's count, average and total
LTV N times and prints the median. `python3 segment_duckdb.py CUSTOMERS.csv AS_OF [N]`
"""
import statistics
import sys
import time

import duckdb

path, as_of = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 30
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute(f"CREATE TABLE c AS SELECT * FROM read_csv('{path}')")
channels = [r[0] for r in con.execute("SELECT DISTINCT channel FROM c WHERE channel IS NOT NULL").fetchall()]
con.execute("CREATE TYPE channel_t AS ENUM (" + ", ".join("'" + c.replace("'", "''") + "'" for c in channels) + ")")
con.execute("ALTER TABLE c ALTER channel TYPE channel_t")
query = f"""
SELECT count(*), avg(ltv), sum(ltv) FROM c
WHERE (ltv > 5000 AND signup_date < DATE '{as_of}' - INTERVAL 30 DAY) OR channel = 'Google Ads'
"""
times, result = [], None
for _ in range(runs):
    t = time.perf_counter()
    result = con.execute(query).fetchone()
    times.append((time.perf_counter() - t) * 1000)
print(f"duckdb: {result[0]} customers match; median evaluation time: {statistics.median(times):.3f} ms")
