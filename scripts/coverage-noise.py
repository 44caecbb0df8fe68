#!/usr/bin/env python3
"""How far a backtest's coverage can stray from the nominal level by chance alone.

A perfectly calibrated interval (the true 80% and 95% bands of a Gaussian random walk with constant
volatility: the easiest case there is) is scored as `augur backtest --origin-step 1` scores one: at
every origin of the test part (200 daily origins; 196 at h = 5 and 181 at h = 20, whose h-step errors
overlap). Prints, per horizon, the spread of the measured coverage over many simulated series, the
chance that one series lands inside issue 15's per-series bands (72-88% and 90-99%), the chance that
all of `--series` series do, and the same for the mean over them (bands 77-83% and 93-97%).

    python3 scripts/coverage-noise.py [--series 11] [--trials 20000] [--seed 15]

Needs numpy. Overlapping 20-day errors make 181 origins worth about nine independent ones: a coverage
measured there is ±9 points (one standard deviation) at 80% even when the interval is exact.
"""
import argparse

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--series", type=int, default=11)
parser.add_argument("--trials", type=int, default=20000)
parser.add_argument("--seed", type=int, default=15)
args = parser.parse_args()
rng = np.random.default_rng(args.seed)
z80, z95 = 1.2815515655446004, 1.959963984540054
for h, origins in [(1, 200), (5, 196), (20, 181)]:
    steps = rng.standard_normal((args.trials, origins + h - 1))
    walk = np.cumsum(np.concatenate([np.zeros((args.trials, 1)), steps], axis=1), axis=1)
    err = (walk[:, h:h + origins] - walk[:, :origins]) / np.sqrt(h)
    cov80 = (np.abs(err) <= z80).mean(axis=1) * 100
    cov95 = (np.abs(err) <= z95).mean(axis=1) * 100
    one = ((cov80 >= 72) & (cov80 <= 88) & (cov95 >= 90) & (cov95 <= 99)).mean()
    k = args.series
    groups = args.trials // k
    m80 = cov80[:groups * k].reshape(groups, k).mean(axis=1)
    m95 = cov95[:groups * k].reshape(groups, k).mean(axis=1)
    pooled = ((m80 >= 77) & (m80 <= 83) & (m95 >= 93) & (m95 <= 97)).mean()
    print(f"h={h:2d}, {origins} origins: coverage80 {cov80.mean():.1f} ± {cov80.std():.1f}, "
          f"coverage95 {cov95.mean():.1f} ± {cov95.std():.1f}; one series in both bands {one:.3f}, "
          f"all {k} {one ** k:.4f}; mean of {k} in the pooled bands {pooled:.3f}")
