#!/usr/bin/env bash
# Interval benchmark (issue 15): coverage of the 80% and 95% intervals and the 95% interval score (MSIS,
# scaled like MASE) on daily series at every origin of the test part (`augur backtest --origin-step 1`,
# about 200 origins), for Augur's calibrated intervals (auto, the default forecast, and autoets and
# naive), split conformal on the same models, statsforecast's own AutoETS and Naive intervals and a
# GARCH(1,1) from the `arch` package refitted at every origin (scripts/intervals_reference.py, on the
# same origins). Series: the two bundled daily ones and scripts/generate-daily-series.py's (four
# synthetic volatility processes and four held-out cuts of the real data ending in a volatility
# episode). Prints, per horizon, one row per series and a pooled row (the mean over series).
#
#   scripts/bench-intervals.sh
#   SERIES="gen_regime vix_to_2015" scripts/bench-intervals.sh
#
# Environment: SF_PYTHON (python with statsforecast 2.1.1 and arch; default .build-bench/sf-venv/bin/python,
# installed when missing unless SF_INSTALL=0), AUGUR_BENCH_REF (folder of stats_reference.py),
# AUGUR_BIN (an augur binary; default: swift build -c release). Results: bench-out/intervals-<time>.jsonl.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export AUGUR_BENCH_REF="${AUGUR_BENCH_REF:-$ROOT/../shared/bench}"
SF_PYTHON="${SF_PYTHON:-$ROOT/.build-bench/sf-venv/bin/python}"
SERIES="${SERIES:-sp500 vix gen_garch_t gen_regime gen_stochvol gen_jumps sp500_to_2002 sp500_to_2008 sp500_to_2011 sp500_to_2018h1 vix_to_2015}"

if ! "$SF_PYTHON" -c "import statsforecast, arch" >/dev/null 2>&1; then
    if [[ "${SF_INSTALL:-1}" == 0 ]]; then
        echo "bench-intervals: $SF_PYTHON lacks statsforecast or arch (set SF_PYTHON, or SF_INSTALL=1)" >&2
        exit 1
    fi
    [[ -x "$SF_PYTHON" ]] || python3 -m venv "$(dirname "$(dirname "$SF_PYTHON")")"
    "$SF_PYTHON" -m pip install -q "statsforecast==2.1.1" arch
fi

source "$ROOT/scripts/augur-binary.sh"

DAILY="$ROOT/.build-bench/daily"
"$SF_PYTHON" scripts/generate-daily-series.py "$DAILY" >/dev/null
cp data/sp500_daily.csv "$DAILY/sp500.csv"
cp data/vix_daily.csv "$DAILY/vix.csv"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export AUGUR_DB="$WORK/bench.sqlite"
mkdir -p bench-out
OUT="bench-out/intervals-$(date +%Y%m%d-%H%M%S).jsonl"

for s in $SERIES; do
    "$AUGUR" import "$DAILY/$s.csv" >/dev/null
    symbol="$(echo "$s" | tr '[:lower:]' '[:upper:]')"
    for policy in calibrated split; do
        models="naive,autoets"
        [[ "$policy" == calibrated ]] && models="naive,autoets,auto"
        "$AUGUR" backtest "$symbol" --models "$models" --origin-step 1 --intervals "$policy" --json \
            | "$SF_PYTHON" -c '
import json, sys
for r in json.load(sys.stdin):
    print(json.dumps(dict(series=sys.argv[1], side="augur-" + sys.argv[2], model=r["model"], horizon=r["horizon"],
                          origins=r["count"], coverage80=r.get("coverage80"), coverage95=r.get("coverage95"),
                          msis95=r.get("msis"), width80=r.get("width80"))))' "$s" "$policy" >> "$OUT"
    done
    "$SF_PYTHON" scripts/intervals_reference.py --csv "$DAILY/$s.csv" --name "$s" --models Naive,AutoETS 2>/dev/null \
        | "$SF_PYTHON" -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    r["side"] = "garch" if r["model"] == "GARCH" else "statsforecast"
    print(json.dumps(r))' >> "$OUT"
    echo "bench-intervals: $s done" >&2
done

"$SF_PYTHON" - "$OUT" <<'EOF'
import json, sys, statistics
rows = [json.loads(l) for l in open(sys.argv[1])]
columns = [("augur-calibrated", "auto"), ("augur-calibrated", "autoets"), ("augur-calibrated", "naive"),
           ("augur-split", "autoets"), ("augur-split", "naive"), ("statsforecast", "AutoETS"),
           ("statsforecast", "Naive"), ("garch", "GARCH")]
names = {("augur-calibrated", "auto"): "Augur auto (calibrated)", ("augur-calibrated", "autoets"): "Augur autoets (calibrated)",
         ("augur-calibrated", "naive"): "Augur naive (calibrated)", ("augur-split", "autoets"): "autoets split conformal",
         ("augur-split", "naive"): "naive split conformal", ("statsforecast", "AutoETS"): "statsforecast AutoETS",
         ("statsforecast", "Naive"): "statsforecast Naive", ("garch", "GARCH"): "arch GARCH(1,1)"}
index = {(r["series"], r["side"], r["model"], r["horizon"]): r for r in rows}
series = list(dict.fromkeys(r["series"] for r in rows))
print("Cells: 80% coverage / 95% coverage / MSIS (95%, scaled like MASE), every origin of the test part.")
for h in (1, 5, 20):
    print(f"\n### horizon {h}\n")
    print("| series | " + " | ".join(names[c] for c in columns) + " |")
    print("|---|" + "---|" * len(columns))
    pooled = {c: [] for c in columns}
    for s in series:
        cells = []
        for c in columns:
            r = index.get((s, c[0], c[1], h))
            if r is None or r.get("coverage80") is None:
                cells.append("–"); continue
            pooled[c].append(r)
            cells.append(f"{r['coverage80']:.0f} / {r['coverage95']:.0f} / {r['msis95']:.2f}")
        print(f"| {s} | " + " | ".join(cells) + " |")
    cells = []
    for c in columns:
        p = pooled[c]
        cells.append("–" if not p else f"**{statistics.mean(r['coverage80'] for r in p):.1f} / "
                     f"{statistics.mean(r['coverage95'] for r in p):.1f} / {statistics.mean(r['msis95'] for r in p):.2f}**")
    print("| pooled | " + " | ".join(cells) + " |")
    inside = [sum(1 for r in pooled[c] if 72 <= r["coverage80"] <= 88 and 90 <= r["coverage95"] <= 99) for c in columns]
    print("| series in 72–88 / 90–99 | " + " | ".join(f"{k} of {len(pooled[c])}" for k, c in zip(inside, columns)) + " |")
print(f"\nrows: {sys.argv[1]}")
EOF
