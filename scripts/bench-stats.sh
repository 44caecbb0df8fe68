#!/usr/bin/env bash
# Statistical models benchmark: Augur's autoets and autoarima against statsforecast 2.1.1's AutoETS
# and AutoARIMA under the same rolling-origin protocol (../shared/bench/stats_reference.py), on the
# three shared series and five generated ones of known structure (scripts/generate-series.py: seasonal
# with trend, multiplicative season, seasonal ARIMA, damped trend, ARMA(2,1)), interleaved: per round and
# series, statsforecast, then Augur. Prints one row per
# series × model × horizon: MASE relative to naive and 80%/95% coverage for both sides, and the CPU
# seconds of the whole backtest (all origins, refit at each) with their ratio. Augur runs with
# `--intervals model`: each model's own intervals on the protocol's origins only, as statsforecast's
# (the calibrated intervals fit the models at every earlier origin too; scripts/bench-intervals.sh
# compares those).
#
#   scripts/bench-stats.sh                 # 3 rounds
#   ROUNDS=1 SERIES="airline" scripts/bench-stats.sh
#
# Environment:
#   SF_PYTHON        python with statsforecast 2.1.1 (default .build-bench/sf-venv/bin/python, made with
#                    `python3 -m venv` and pip when missing; set SF_INSTALL=0 to never install)
#   AUGUR_BENCH_REF  folder holding stats_reference.py (default ../shared/bench)
#   AUGUR_BIN        use this augur binary instead of building one with `swift build -c release`
#   ROUNDS           repeat everything (default 3); CPU seconds are reported as the median and the
#                    range over rounds, the ratio as the median of the per-round ratios
#   SERIES           subset of "sp500 vix airline gen_seasonal_trend gen_multiplicative gen_sarima
#                    gen_damped gen_arma21" (the default: all)
# Results: bench-out/stats-<time>.jsonl (one JSON object per side × round × series × model × horizon)
# and the table on stdout. Augur's CPU seconds are the process's (user + system, to the microsecond)
# less those of the same backtest with naive alone, measured in the same round (start-up, reading the
# database, the protocol), as statsforecast's are its forecast call's, after a warm-up; the JSON rows
# keep the whole process's too (process_cpu_s).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
REF="${AUGUR_BENCH_REF:-$ROOT/../shared/bench}"
ROUNDS="${ROUNDS:-3}"
SERIES="${SERIES:-sp500 vix airline gen_seasonal_trend gen_multiplicative gen_sarima gen_damped gen_arma21}"
SF_PYTHON="${SF_PYTHON:-$ROOT/.build-bench/sf-venv/bin/python}"

if [[ ! -f "$REF/stats_reference.py" ]]; then
    echo "bench-stats: stats_reference.py not found in $REF (set AUGUR_BENCH_REF)" >&2
    exit 1
fi
if ! "$SF_PYTHON" -c "import statsforecast" >/dev/null 2>&1; then
    if [[ "${SF_INSTALL:-1}" == "0" ]]; then
        echo "bench-stats: no statsforecast at SF_PYTHON=$SF_PYTHON" >&2
        exit 1
    fi
    echo "== installing statsforecast 2.1.1 into .build-bench/sf-venv"
    python3 -m venv "$ROOT/.build-bench/sf-venv"
    "$ROOT/.build-bench/sf-venv/bin/pip" install -q "statsforecast==2.1.1"
    SF_PYTHON="$ROOT/.build-bench/sf-venv/bin/python"
fi

source "$ROOT/scripts/augur-binary.sh"

GENERATED="$ROOT/.build-bench/series"
"$SF_PYTHON" scripts/generate-series.py "$GENERATED" >/dev/null
declare -A FILE=([sp500]=data/sp500_daily.csv [vix]=data/vix_daily.csv [airline]=data/airline_passengers_monthly.csv)
declare -A KIND=([sp500]=daily [vix]=daily [airline]=seasonal)
declare -A SYMBOL=([sp500]=SP500_DAILY [vix]=VIX_DAILY [airline]=AIRLINE_PASSENGERS_MONTHLY)
for g in gen_seasonal_trend gen_multiplicative gen_sarima gen_damped gen_arma21; do
    FILE[$g]="$GENERATED/$g.csv"
    SYMBOL[$g]="${g^^}"
done
KIND[gen_seasonal_trend]=seasonal; KIND[gen_multiplicative]=seasonal; KIND[gen_sarima]=seasonal
KIND[gen_damped]=daily; KIND[gen_arma21]=daily

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
DB="$WORK/bench.sqlite"
for s in $SERIES; do "$AUGUR" import "${FILE[$s]}" --db "$DB" >/dev/null; done

# CPU seconds (user + system) of a child process, to the microsecond: cpu.py OUT COMMAND...
cat > "$WORK/cpu.py" <<'PY'
import resource, subprocess, sys
before = resource.getrusage(resource.RUSAGE_CHILDREN)
code = subprocess.call(sys.argv[2:])
after = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write(str(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime))
sys.exit(code)
PY
mkdir -p bench-out
OUT="bench-out/stats-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
: > "$OUT"
echo "== CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), flags: $(grep -m1 -o 'avx512f' /proc/cpuinfo || echo 'no avx512f')"

for round in $(seq 1 "$ROUNDS"); do
    for s in $SERIES; do
        echo "== round $round: $s"
        "$SF_PYTHON" "$REF/stats_reference.py" --csv "${FILE[$s]}" --kind "${KIND[$s]}" --name "$s" \
            --models Naive,AutoETS,AutoARIMA --json "$WORK/sf.jsonl" >/dev/null 2>"$WORK/sf.err" \
            || { cat "$WORK/sf.err" >&2; exit 1; }
        python3 - "$WORK/sf.jsonl" "$round" >> "$OUT" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["model"] in ("AutoETS", "AutoARIMA"):
        print(json.dumps(dict(side="statsforecast", round=int(sys.argv[2]), series=r["series"],
                              model=r["model"].lower(), horizon=r["horizon"], rel=r["mase_vs_naive"],
                              coverage80=r["coverage80"], coverage95=r["coverage95"], cpu_s=r["cpu_s"])))
PY
        # The same backtest with naive alone: start-up, reading the database and the protocol, which the
        # statsforecast side does not count (it times its forecast call only).
        python3 "$WORK/cpu.py" "$WORK/base.time" "$AUGUR" backtest "${SYMBOL[$s]}" --models naive --intervals model --json --db "$DB" >/dev/null
        for model in autoets autoarima; do
            python3 "$WORK/cpu.py" "$WORK/time" \
                "$AUGUR" backtest "${SYMBOL[$s]}" --models "$model" --intervals model --json --db "$DB" > "$WORK/augur.json"
            python3 - "$WORK/augur.json" "$WORK/time" "$WORK/base.time" "$round" "$s" "$model" >> "$OUT" <<'PY'
import json, sys
path, timing, base, rnd, series, model = sys.argv[1:]
process, startup = float(open(timing).read()), float(open(base).read())
text = open(path).read().strip()
rows = json.loads(text) if text.startswith("[") else [json.loads(l) for l in text.splitlines() if l.strip()]
for r in rows:
    if r.get("model") == model:
        print(json.dumps(dict(side="augur", round=int(rnd), series=series, model=model, horizon=r["horizon"],
                              rel=r.get("rel_mae"), coverage80=r.get("coverage80"), coverage95=r.get("coverage95"),
                              cpu_s=max(process - startup, 1e-3), process_cpu_s=process)))
PY
        done
    done
done

python3 - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def pick(side, s, m, h=None):
    return [r for r in rows if r["side"] == side and r["series"] == s and r["model"] == m and (h is None or r["horizon"] == h)]
def per_round(side, s, m, key):
    return {r["round"]: r[key] for r in pick(side, s, m)}
print()
print("| series | model | h | MASE/naive Augur / sf | Δ | cov80 Augur / sf | cov95 Augur / sf "
      "| CPU s Augur (whole process) / sf | ratio (range) |")
print("|---|---|---|---|---|---|---|---|---|")
for s in dict.fromkeys(r["series"] for r in rows):
    for m in ("autoets", "autoarima"):
        a_cpu, p_cpu = per_round("augur", s, m, "cpu_s"), per_round("augur", s, m, "process_cpu_s")
        f_cpu = per_round("statsforecast", s, m, "cpu_s")
        ratios = [f_cpu[k] / a_cpu[k] for k in a_cpu if k in f_cpu]
        if not ratios:
            continue
        med = statistics.median(ratios)
        for h in sorted({r["horizon"] for r in pick("augur", s, m)}):
            a, f = pick("augur", s, m, h)[0], pick("statsforecast", s, m, h)[0]
            d = f"{(a['rel'] / f['rel'] - 1) * 100:+.1f}%" if a["rel"] and f["rel"] else "–"
            print(f"| {s} | {m} | {h} | {a['rel']:.3f} / {f['rel']:.3f} | {d} | {a['coverage80']:.0f} / {f['coverage80']:.0f} | "
                  f"{a['coverage95']:.0f} / {f['coverage95']:.0f} | {statistics.median(a_cpu.values()):.3f} "
                  f"({statistics.median(p_cpu.values()):.3f}) / {statistics.median(f_cpu.values()):.2f} | "
                  f"{med:.1f}× ({min(ratios):.1f}–{max(ratios):.1f}){'' if med >= 20 else ' ✗'} |")
print(f"\nrows: {sys.argv[1]}")
PY
