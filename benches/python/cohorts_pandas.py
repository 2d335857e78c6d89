"""The reference for benches/cohorts.rs: the same cohort group-by in pandas on the
same shape of data (1,000,000 customers, 1-9 orders each over three years, six
channels), timed after the data is in memory, as Kitle's bench is.

    python3 benches/python/cohorts_pandas.py

Monthly: each customer's first order month, then per (cohort, months since) the
distinct active customers, orders and revenue, cohort sizes, retention and
cumulative revenue per customer. By channel: the same with the channel in the key.
"""

import time

import numpy as np
import pandas as pd

rng = np.random.default_rng(7)
N = 1_000_000
AS_OF = np.datetime64("2026-11-01")
counts = rng.integers(1, 10, N)
customer = np.repeat(np.arange(N), counts)
day = AS_OF - np.timedelta64(3 * 365, "D") + rng.integers(0, 3 * 365, customer.size).astype("timedelta64[D]")
orders = pd.DataFrame(
    {"customer": customer, "order_date": day, "total": rng.integers(0, 2000, customer.size) / 2 + 50}
)
channels = np.array(["Google Ads", "Meta", "TikTok", "E-posta", "Organik", "Influencer"])
customers = pd.DataFrame({"customer": np.arange(N), "channel": pd.Categorical(channels[rng.integers(0, 6, N)])})


def triangle(orders, customers, by=None):
    o = orders
    month = o["order_date"].dt.year * 12 + o["order_date"].dt.month - 1
    o = o.assign(month=month)
    first = o.groupby("customer")["month"].min().rename("cohort")
    o = o.join(first, on="customer")
    o["offset"] = o["month"] - o["cohort"]
    keys = ["cohort", "offset"]
    sizes = first.to_frame()
    if by:
        o = o.join(customers.set_index("customer")[by], on="customer")
        sizes = sizes.join(customers.set_index("customer")[by])
        keys = ["cohort", by, "offset"]
    cells = o.groupby(keys, observed=True).agg(
        active=("customer", "nunique"), orders=("customer", "size"), revenue=("total", "sum")
    )
    size = sizes.groupby(keys[:-1], observed=True).size().rename("customers")
    cells = cells.join(size, on=keys[:-1])
    cells["retention"] = cells["active"] / cells["customers"]
    cells["cumulative_ltv"] = cells.groupby(level=keys[:-1], observed=True)["revenue"].cumsum() / cells["customers"]
    return cells


for name, by in [("monthly_3_years", None), ("monthly_by_channel", "channel")]:
    times = []
    for _ in range(5):
        t = time.perf_counter()
        triangle(orders, customers, by)
        times.append(time.perf_counter() - t)
    print(f"pandas {pd.__version__} {name}: median {sorted(times)[2] * 1000:.0f} ms (best {min(times) * 1000:.0f} ms)")
