#!/usr/bin/env python3
"""Synthetic `value` series (zero and negative values allowed), seeded, with known structure.

  temperature_daily.csv  date,temperature — every calendar day 2015-01-01 … 2020-12-31: a yearly
                         cycle 10 + 12·sin(2π(doy − 110)/365.25) °C plus an AR(1) anomaly
                         (φ = 0.75, σ = 2.5): below zero most winters.
  spread_daily.csv       Date,Spread — business days 2012-01-02 … 2019-12-31: an Ornstein–Uhlenbeck
                         spread (mean 0.4, daily reversion 0.02, σ 0.12) whose mean shifts to −0.6 in
                         2016-07 and back to 0.2 in 2018-03, so it crosses zero for long spells.

Usage: scripts/generate-value-series.py OUTDIR [--seed N]   (standard library only)
"""
import argparse, datetime, math, os, random

def temperature(rng):
    d, end = datetime.date(2015, 1, 1), datetime.date(2020, 12, 31)
    a, rows = 0.0, []
    while d <= end:
        a = 0.75 * a + rng.gauss(0, 2.5)
        doy = d.timetuple().tm_yday
        rows.append((d.isoformat(), 10 + 12 * math.sin(2 * math.pi * (doy - 110) / 365.25) + a))
        d += datetime.timedelta(days=1)
    return "date,temperature", rows

def spread(rng):
    d, end = datetime.date(2012, 1, 2), datetime.date(2019, 12, 31)
    x, rows = 0.4, []
    while d <= end:
        if d.weekday() < 5:
            mean = 0.4 if d < datetime.date(2016, 7, 1) else (-0.6 if d < datetime.date(2018, 3, 1) else 0.2)
            x += 0.02 * (mean - x) + rng.gauss(0, 0.12)
            rows.append((d.isoformat(), x))
        d += datetime.timedelta(days=1)
    return "Date,Spread", rows

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("outdir")
    p.add_argument("--seed", type=int, default=16)
    a = p.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    for name, make, offset in (("temperature_daily.csv", temperature, 0), ("spread_daily.csv", spread, 1)):
        header, rows = make(random.Random(a.seed * 100 + offset))
        with open(os.path.join(a.outdir, name), "w") as f:
            f.write(header + "\n")
            for date, v in rows:
                f.write(f"{date},{v:.2f}\n")
        print(f"{name}: {len(rows)} rows, min {min(v for _, v in rows):.2f}, max {max(v for _, v in rows):.2f}")

if __name__ == "__main__":
    main()
