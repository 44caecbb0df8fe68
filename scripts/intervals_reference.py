#!/usr/bin/env python3
"""Reference intervals for the interval benchmark (scripts/bench-intervals.sh), on exactly the origins
`augur backtest SYMBOL --origin-step 1` scores: statsforecast's own intervals (through
../shared/bench/stats_reference.py, its protocol with the origin step set to 1) and a GARCH(1,1) from
the `arch` package refitted at every origin.

GARCH: at origin o, arch_model(100 · log returns of y[0:o], mean="Constant", vol="GARCH", p=1, q=1,
dist="normal") is fitted; the h-step interval is y[o-1] · exp(h μ ± z · √(Σₖ₌₁ʰ σ²ₜ₊ₖ)), the sum
of arch's analytic variance forecasts (the naive point forecast carried by the GARCH mean).

Usage: python intervals_reference.py --csv FILE --name NAME [--kind daily] [--models Naive,AutoETS]
       [--json OUT]. Needs statsforecast 2.1.1 and arch (PyPI). Prints one JSON object per
       series × model × horizon (coverage80, coverage95, msis95, width80, origins).
"""
import argparse, importlib.util, json, math, os, sys, time, warnings

import numpy as np

warnings.filterwarnings("ignore")
REF = os.environ.get("AUGUR_BENCH_REF", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench"))
spec = importlib.util.spec_from_file_location("stats_reference", os.path.join(REF, "stats_reference.py"))
sr = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sr)

original_protocol = sr.protocol


def protocol_step1(kind, n_full):
    n, T, origins, horizons, m = original_protocol(kind, n_full)
    return n, T, list(range(T, n, 1)), horizons, m


sr.protocol = protocol_step1
Z = {80: 1.2815515655446004, 95: 1.959963984540054}


def garch_rows(name, y, kind):
    from arch import arch_model
    n, T, origins, horizons, m = protocol_step1(kind, len(y))
    y = y[-n:]
    scale = float(np.mean(np.abs(y[m:T] - y[:T - m])))
    H = max(horizons)
    t0 = time.process_time()
    bounds = {}
    for o in origins:
        r = np.diff(np.log(y[:o])) * 100
        res = arch_model(r, mean="Constant", vol="GARCH", p=1, q=1, dist="normal").fit(disp="off")
        var = np.cumsum(res.forecast(horizon=H, reindex=False).variance.to_numpy()[0]) / 1e4
        mu = res.params["mu"] / 100
        bounds[o] = (y[o - 1], mu, var)
    cpu = time.process_time() - t0
    out = []
    for h in horizons:
        rows = [o for o in origins if o + h <= n]
        a = np.array([y[o + h - 1] for o in rows])
        rec = dict(series=name, model="GARCH", horizon=h, origins=len(rows), cpu_s=cpu)
        for lv in (80, 95):
            lo = np.array([bounds[o][0] * math.exp(h * bounds[o][1] - Z[lv] * math.sqrt(bounds[o][2][h - 1])) for o in rows])
            hi = np.array([bounds[o][0] * math.exp(h * bounds[o][1] + Z[lv] * math.sqrt(bounds[o][2][h - 1])) for o in rows])
            rec[f"coverage{lv}"] = float(np.mean((a >= lo) & (a <= hi)) * 100)
            rec[f"width{lv}"] = float(np.mean(hi - lo))
            if lv == 95:
                score = (hi - lo) + 2 / 0.05 * (lo - a) * (a < lo) + 2 / 0.05 * (a - hi) * (a > hi)
                rec["msis95"] = float(np.mean(score) / scale)
        out.append(rec)
    print(f"{name}: GARCH {cpu:.1f} s CPU for {len(origins)} origins", file=sys.stderr, flush=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--csv", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--kind", default="daily", choices=["daily"])
    ap.add_argument("--models", default="Naive,AutoETS")
    ap.add_argument("--json")
    a = ap.parse_args()
    y = sr.load_values(a.csv)
    rows = sr.run(a.name, y, a.kind, a.models.split(",")) + garch_rows(a.name, y, a.kind)
    text = "\n".join(json.dumps(r) for r in rows) + "\n"
    if a.json:
        with open(a.json, "w") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
