"""DuckDB's side of the order-heavy import (benches/order_heavy.sh, benches/order_heavy.rs):
read the customers file and the order-lines file, keep the lines, fold them into
orders, aggregate the counted orders per customer (count, sum, first and last date,
AOV), join the customers, all into a database file. Prints the seconds the work took
over ITERATIONS runs (a fresh database file each), Python's start-up not included.
`python3 order_heavy_duckdb.py CUSTOMERS LINES DB [ITERATIONS]`"""
import os, sys, time
import duckdb

customers, lines, db = sys.argv[1:4]
iterations = int(sys.argv[4]) if len(sys.argv) > 4 else 1
total = 0.0
for _ in range(iterations):
    for leftover in (db, db + ".wal"):
        if os.path.exists(leftover):
            os.remove(leftover)
    t = time.perf_counter()
    con = duckdb.connect(db)
    con.execute("SET enable_progress_bar = false")  # DuckDB 2 prints it to stdout
    con.execute(f"CREATE TABLE order_lines AS SELECT * FROM read_csv('{lines}')")
    con.execute("""CREATE TABLE orders AS
      SELECT order_id, any_value(customer_id) AS customer_id, min(order_date) AS order_date,
             any_value(total) AS total, any_value(status) AS status
      FROM order_lines GROUP BY order_id""")
    con.execute(f"""CREATE TABLE customers AS
      SELECT c.*, a.orders, a.ltv, a.first_order, a.last_order, a.ltv / a.orders AS aov
      FROM read_csv('{customers}') c LEFT JOIN (
        SELECT customer_id, count(*) AS orders, sum(total) AS ltv,
               min(order_date) AS first_order, max(order_date) AS last_order
        FROM orders WHERE status NOT IN ('refunded', 'pending') GROUP BY customer_id) a
      USING (customer_id)""")
    con.close()
    total += time.perf_counter() - t
print(total)
