#!/usr/bin/env bash
# Statistical models benchmark: Augur's autoets and autoarima against statsforecast 2.1.1's AutoETS
# and AutoARIMA under the same rolling-origin protocol (../shared/bench/stats_reference.py), on the
# three shared series and five generated ones of known structure (scripts/generate-series.py: seasonal
# with trend, multiplicative season, seasonal ARIMA, damped trend, ARMA(2,1)), interleaved: per round and
# series, statsforecast, then Augur. Prints one row per
# series × model × horizon: MASE relative to naive and 80%/95% coverage for both sides, and the CPU
# seconds of the whole backtest (all origins, refit at each) with their ratio.
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
# and the table on stdout. Augur's CPU seconds are the whole process's (user + system), so they
# include start-up and reading the database; statsforecast's are its forecast call's, after a warm-up.
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

if [[ -n "${AUGUR_BIN:-}" ]]; then
    AUGUR="$AUGUR_BIN"
else
    echo "== building augur (release)"
    swift build -c release --product augur >/dev/null
    AUGUR="$(swift build -c release --show-bin-path)/augur"
fi

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
        for model in autoets autoarima; do
            /usr/bin/time -f "%U %S" -o "$WORK/time" \
                "$AUGUR" backtest "${SYMBOL[$s]}" --models "$model" --json --db "$DB" > "$WORK/augur.json"
            python3 - "$WORK/augur.json" "$WORK/time" "$round" "$s" "$model" >> "$OUT" <<'PY'
import json, sys
path, timing, rnd, series, model = sys.argv[1:]
user, system = map(float, open(timing).read().split()[-2:])
text = open(path).read().strip()
rows = json.loads(text) if text.startswith("[") else [json.loads(l) for l in text.splitlines() if l.strip()]
for r in rows:
    if r.get("model") == model:
        print(json.dumps(dict(side="augur", round=int(rnd), series=series, model=model, horizon=r["horizon"],
                              rel=r.get("rel_mae"), coverage80=r.get("coverage80"), coverage95=r.get("coverage95"),
                              cpu_s=user + system)))
PY
        done
    done
done

python3 - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def pick(side, s, m, h=None):
    return [r for r in rows if r["side"] == side and r["series"] == s and r["model"] == m and (h is None or r["horizon"] == h)]
def cpu(side, s, m):
    per_round = {}
    for r in pick(side, s, m): per_round[r["round"]] = r["cpu_s"]
    return per_round
def fmt(v, d=3): return "–" if v is None else f"{v:.{d}f}"
print()
print("| series | model | h | MASE/naive Augur | statsforecast | Δ | cov80 Augur / sf | cov95 Augur / sf "
      "| CPU s Augur (min–max) | CPU s statsforecast (min–max) | ratio (per-round min–max) | 20× |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
series = list(dict.fromkeys(r["series"] for r in rows))
for s in series:
    for m in ("autoets", "autoarima"):
        a_cpu, f_cpu = cpu("augur", s, m), cpu("statsforecast", s, m)
        ratios = [f_cpu[k] / a_cpu[k] for k in a_cpu if k in f_cpu and a_cpu[k] > 0]
        for h in sorted({r["horizon"] for r in pick("augur", s, m)}):
            a, f = pick("augur", s, m, h)[0], pick("statsforecast", s, m, h)
            f = f[0] if f else None
            delta = (a["rel"] / f["rel"] - 1) * 100 if f and a["rel"] and f["rel"] else None
            am, fm = statistics.median(a_cpu.values()), statistics.median(f_cpu.values()) if f_cpu else None
            print(f"| {s} | {m} | {h} | {fmt(a['rel'])} | {fmt(f['rel'] if f else None)} | "
                  f"{'–' if delta is None else f'{delta:+.1f}%'} | "
                  f"{fmt(a['coverage80'], 0)} / {fmt(f['coverage80'] if f else None, 0)} | "
                  f"{fmt(a['coverage95'], 0)} / {fmt(f['coverage95'] if f else None, 0)} | "
                  f"{am:.3f} ({min(a_cpu.values()):.3f}–{max(a_cpu.values()):.3f}) | "
                  f"{fmt(fm, 2)} ({min(f_cpu.values()):.2f}–{max(f_cpu.values()):.2f}) | "
                  f"{statistics.median(ratios):.1f}× ({min(ratios):.1f}–{max(ratios):.1f}) | "
                  f"{'ok' if statistics.median(ratios) >= 20 else 'MISS'} |")
print(f"\nrows: {sys.argv[1]}")
PY
