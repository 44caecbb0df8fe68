#!/usr/bin/env python3
"""Daily series for the interval benchmark (scripts/bench-intervals.sh): seeded synthetic prices whose
volatility changes in different ways, and held-out windows of the shared real series that end in a
volatility episode. Each is written as date,value CSV into the given folder (default
.build-bench/daily). Standard library plus numpy.

Synthetic (business days, 1,300 each, seed 20261206):
  gen_garch_t     price from 100, log returns GARCH(1,1) ω 2e-6, α 0.09, β 0.89, Student t(5) shocks
  gen_regime      two volatility regimes (0.6% and 2.4% a day), switching with probability 1/120 and 1/40
  gen_stochvol    log-volatility AR(1), φ 0.985, σ 0.15, around 1.1% a day
  gen_jumps       1% a day Gaussian returns plus Poisson jumps (rate 1/50, size N(0, 4%))

Real (from ../shared/data, or $AUGUR_SHARED_DATA), cut where a volatility episode has just happened:
  sp500_to_2002   S&P 500 closes 1999-01-04 … 2002-12-31 (the dot-com decline)
  sp500_to_2008   S&P 500 closes 2004-01-02 … 2008-12-31 (the 2008 crisis)
  sp500_to_2011   S&P 500 closes 2007-01-03 … 2011-12-30 (the August 2011 sell-off)
  sp500_to_2018h1 S&P 500 closes 2014-07-01 … 2018-06-29 (the February 2018 volatility spike)
  vix_to_2015     VIX closes 2014-01-03 … 2015-12-31 (the August 2015 spike)
"""
import csv, math, os, sys
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import series_csv  # noqa: E402

out = sys.argv[1] if len(sys.argv) > 1 else ".build-bench/daily"
shared = os.environ.get("AUGUR_SHARED_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20261206)
N = 1300

def business_days(n):
    return series_csv.business_days(n, "2013-01-02")

def write(name, dates, values):
    series_csv.write(out, name, dates, values)

def prices(returns):
    return 100 * np.exp(np.cumsum(returns))

# GARCH(1,1) with t(5) shocks scaled to unit variance.
omega, alpha, beta = 2e-6, 0.09, 0.89
v, r = omega / (1 - alpha - beta), np.zeros(N)
shocks = rng.standard_t(5, N) / math.sqrt(5 / 3)
for t in range(N):
    r[t] = math.sqrt(v) * shocks[t]
    v = omega + alpha * r[t] ** 2 + beta * v
write("gen_garch_t", business_days(N), prices(r))

state, r = 0, np.zeros(N)
for t in range(N):
    r[t] = rng.normal(0, 0.006 if state == 0 else 0.024)
    if rng.random() < (1 / 120 if state == 0 else 1 / 40):
        state = 1 - state
write("gen_regime", business_days(N), prices(r))

h, r = 0.0, np.zeros(N)
for t in range(N):
    h = 0.985 * h + 0.15 * rng.normal()
    r[t] = 0.011 * math.exp(h / 2) * rng.normal()
write("gen_stochvol", business_days(N), prices(r))

r = rng.normal(0, 0.01, N) + (rng.random(N) < 1 / 50) * rng.normal(0, 0.04, N)
write("gen_jumps", business_days(N), prices(r))

def cut(source, column, name, first, last):
    path = os.path.join(shared, source)
    if not os.path.exists(path):
        print(f"generate-daily-series: {path} not found, {name} skipped", file=sys.stderr)
        return
    with open(path) as f:
        rows = [(row["Date"], float(row[column])) for row in csv.DictReader(f) if first <= row["Date"] <= last]
    write(name, [d for d, _ in rows], [v for _, v in rows])

cut("sp500_daily.csv", "Close", "sp500_to_2002", "1999-01-04", "2002-12-31")
cut("sp500_daily.csv", "Close", "sp500_to_2008", "2004-01-02", "2008-12-31")
cut("sp500_daily.csv", "Close", "sp500_to_2011", "2007-01-03", "2011-12-30")
cut("sp500_daily.csv", "Close", "sp500_to_2018h1", "2014-07-01", "2018-06-29")
cut("vix_daily.csv", "Close", "vix_to_2015", "2014-01-03", "2015-12-31")
print(out)
