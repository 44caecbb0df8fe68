#!/usr/bin/env bash
# Neural accuracy benchmark (issue 16): the recurrent models with their defaults (seasonal inputs when a
# series is seasonal, seed ensembles and smaller networks on short series, retrained every 3 origins
# on short monthly series) against seasonal naive, naive and Augur's AutoARIMA (which matches
# statsforecast's within a few per cent: scripts/bench-stats.sh) under the fixed backtest protocol.
# Prints MAE relative to naive per series × model × horizon, and the LSTM's ratios to AutoARIMA and
# to seasonal naive.
#
#   scripts/bench-neural.sh
#
# Series: airline (shared data) and the three monthly seasonal series of scripts/generate-series.py;
# the bundled daily markets (S&P 500, VIX) at --origin-step 1 (about 200 origins); the synthetic
# temperature (data/temperature_daily.csv, a yearly cycle and negative values) with --window 2192, so
# that the models see two years before their first origin; the synthetic spread that crosses zero.
# Environment: AUGUR_BIN (default: build release), PYTHON (numpy, for generate-series.py; default python3).
# Results: bench-out/neural-<time>.jsonl and the table on stdout.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c "import numpy" >/dev/null 2>&1; then
    [[ -x .build-bench/sf-venv/bin/python ]] && PYTHON=.build-bench/sf-venv/bin/python
fi
source "$ROOT/scripts/augur-binary.sh"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$PYTHON" scripts/generate-series.py "$WORK/series" >/dev/null
export AUGUR_DB="$WORK/bench.sqlite"
"$AUGUR" import data/airline_passengers_monthly.csv data/sp500_daily.csv data/vix_daily.csv \
    data/temperature_daily.csv data/spread_daily.csv \
    "$WORK/series/gen_seasonal_trend.csv" "$WORK/series/gen_multiplicative.csv" "$WORK/series/gen_sarima.csv" >/dev/null

mkdir -p bench-out
OUT="bench-out/neural-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
run() {   # run NAME SYMBOL ARGS...
    local name="$1" symbol="$2"; shift 2
    local start end
    start=$(date +%s.%N)
    "$AUGUR" backtest "$symbol" --json "$@" > "$WORK/out.json"
    end=$(date +%s.%N)
    "$PYTHON" - "$name" "$WORK/out.json" "$start" "$end" >> "$OUT" <<'PY'
import json, sys
name, path, start, end = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
for s in json.load(open(path)):
    print(json.dumps({"series": name, "model": s["model"], "horizon": s["horizon"], "rel_mae": s.get("rel_mae"),
                      "mase": s.get("mase"), "count": s["count"], "seconds": round(end - start, 2)}))
PY
}

MONTHLY_MODELS="lstm,gru,snaive,naive,autoarima"
for s in airline:AIRLINE_PASSENGERS_MONTHLY gen_seasonal_trend:GEN_SEASONAL_TREND \
         gen_multiplicative:GEN_MULTIPLICATIVE gen_sarima:GEN_SARIMA; do
    echo "== ${s%%:*}"
    run "${s%%:*}" "${s##*:}" --models "$MONTHLY_MODELS"
    run "${s%%:*} (direct head)" "${s##*:}" --models lstm,naive --head direct || echo "   (direct head left out)"
done
for s in sp500:SP500_DAILY vix:VIX_DAILY; do
    echo "== ${s%%:*}"
    run "${s%%:*} (step 1)" "${s##*:}" --models lstm,gru,naive --origin-step 1
    run "${s%%:*}" "${s##*:}" --models lstm,gru,naive
done
echo "== temperature, spread"
run "temperature (window 2192)" TEMPERATURE_DAILY --models lstm,gru,naive,theta,autoarima --window 2192
run "temperature" TEMPERATURE_DAILY --models lstm,gru,naive,theta,autoarima
run "spread" SPREAD_DAILY --models lstm,gru,naive,theta,autoarima

"$PYTHON" - "$OUT" <<'PY'
import json, sys
from collections import defaultdict
rows = [json.loads(l) for l in open(sys.argv[1])]
table = defaultdict(dict)
order = []
for r in rows:
    key = (r["series"], r["model"])
    if key not in order: order.append(key)
    table[key][r["horizon"]] = r["rel_mae"]
series = []
for s, _ in order:
    if s not in series: series.append(s)
print()
print("MAE relative to naive (below 1 beats naive); lstm/arima and lstm/snaive: the LSTM's ratios")
print(f"{'series':28} {'model':10} {'h':>4} {'rel MAE':>8} {'lstm/arima':>11} {'lstm/snaive':>12}")
for s in series:
    for (s2, m) in order:
        if s2 != s: continue
        for h in sorted(table[(s, m)]):
            v = table[(s, m)][h]
            extra = ""
            if m == "lstm":
                a = table.get((s, "autoarima"), {}).get(h)
                n = table.get((s, "snaive"), {}).get(h)
                extra = (f"{v / a:11.3f}" if a else f"{'':11}") + (f"{v / n:12.3f}" if n else "")
            print(f"{s:28} {m:10} {h:4d} {v if v is not None else float('nan'):8.3f} {extra}")
print(f"\n(results: {sys.argv[1]})")
PY
