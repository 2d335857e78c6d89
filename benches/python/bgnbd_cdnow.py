"""BG/NBD on the CDNOW sample with `lifetimes` (Python), timed the way the Rust
benchmark is: the fit alone, best of five. Usage: python3 bgnbd_cdnow.py CSV"""
import sys
import time

import pandas as pd
from lifetimes import BetaGeoFitter

data = pd.read_csv(sys.argv[1])
best = float("inf")
for _ in range(5):
    start = time.perf_counter()
    fitter = BetaGeoFitter(penalizer_coef=0.0)
    fitter.fit(data["x"], data["t_x"], data["T"])
    best = min(best, time.perf_counter() - start)
params = fitter.params_
print(f"lifetimes BG/NBD on CDNOW: {best * 1000:.1f} ms (r={params['r']:.3f} alpha={params['alpha']:.3f} a={params['a']:.3f} b={params['b']:.3f})")
