#!/usr/bin/env python3
"""Seeded synthetic series of known structure for the statistical-model benchmark (scripts/bench-stats.sh):
each is written as date,value CSV into the given folder (default .build-bench/series).

  gen_seasonal_trend   monthly, 144: 100 + 0.8 t + 10 sin(2πt/12) + N(0, 3²)
  gen_multiplicative   monthly, 144: (100 + t)(1 + 0.25 sin(2πt/12)) exp(N(0, 0.03²))
  gen_sarima           monthly, 180: ARIMA(0,1,1)(0,1,1)[12], θ −0.4, Θ −0.6, σ 2, from 200 + 20 sin(2πt/12)
  gen_damped           business days, 600: ETS(A,Ad,N), α 0.3, β 0.1, φ 0.9, σ 1, from level 100, slope 1
  gen_arma21           business days, 600: 50 + ARMA(2,1), φ 0.5, 0.3, θ 0.4, σ 1
"""
import math, os, sys
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import series_csv  # noqa: E402

out = sys.argv[1] if len(sys.argv) > 1 else ".build-bench/series"
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20261202)

def months(n):
    return series_csv.months(n)

def business_days(n):
    return series_csv.business_days(n, "2015-01-05")

def write(name, dates, values):
    series_csv.write(out, name, dates, values)

t = np.arange(144)
write("gen_seasonal_trend", months(144), 100 + 0.8 * t + 10 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 3, 144))
write("gen_multiplicative", months(144), (100 + t) * (1 + 0.25 * np.sin(2 * np.pi * t / 12)) * np.exp(rng.normal(0, 0.03, 144)))

n, theta, Theta = 180, -0.4, -0.6
e = rng.normal(0, 2, n + 13)
w = e[13:] + theta * e[12:-1] + Theta * e[1:-12] + theta * Theta * e[:-13]
y = list(200 + 20 * np.sin(2 * np.pi * np.arange(13) / 12))
for k in range(13, n):
    y.append(w[k] + y[k - 1] + y[k - 12] - y[k - 13])
write("gen_sarima", months(n), y)

level, slope, vals = 100.0, 1.0, []
for _ in range(600):
    eps = rng.normal(0, 1)
    f = level + 0.9 * slope
    vals.append(f + eps)
    level, slope = f + 0.3 * eps, 0.9 * slope + 0.1 * eps
write("gen_damped", business_days(600), vals)

e = rng.normal(0, 1, 800)
x = np.zeros(800)
for k in range(2, 800):
    x[k] = 0.5 * x[k - 1] + 0.3 * x[k - 2] + e[k] + 0.4 * e[k - 1]
write("gen_arma21", business_days(600), 50 + x[200:])
print(out)
