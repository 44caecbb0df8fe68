#!/usr/bin/env bash
# Report benchmark: N synthetic symbols (default 500) with a trained model and a backtest each,
# then one timed `augur report` over all of them. Prints the seconds and reports per second.
# Usage: scripts/bench-report.sh [N] [BARS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-500}
BARS=${2:-400}
AUGUR=${AUGUR:-$PWD/.build/release/augur}
WORK=$(mktemp -d /tmp/augur-bench-report.XXXXXX)
[[ -n "${KEEP_WORK:-}" ]] && echo "work folder: $WORK (kept)" >&2 || trap 'rm -rf "$WORK"' EXIT
export AUGUR_DB="$WORK/bench.sqlite"

python3 - "$WORK" "$N" "$BARS" <<'PY'
import datetime, math, random, sys
work, n, bars = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(7)
for s in range(n):
    p, d = 100.0, datetime.date(2017, 1, 2)
    lines = ["Date,Close"]
    while len(lines) <= bars:
        if d.weekday() < 5:
            p *= math.exp(rng.gauss(0.0002, 0.01))
            lines.append(f"{d.isoformat()},{p:.4f}")
        d += datetime.timedelta(days=1)
    open(f"{work}/S{s:04d}.csv", "w").write("\n".join(lines) + "\n")
PY
"$AUGUR" import "$WORK"/S*.csv > /dev/null
setup0=$(date +%s.%N)
for f in "$WORK"/S*.csv; do
  s=$(basename "$f" .csv)
  "$AUGUR" train "$s" --epochs 5 --quiet > /dev/null
  "$AUGUR" backtest "$s" --models lstm,naive,ses > /dev/null
done
setup1=$(date +%s.%N)
t0=$(date +%s.%N)
"$AUGUR" report --out "$WORK/Reports" > "$WORK/report.log"
t1=$(date +%s.%N)
python3 - "$N" "$setup0" "$setup1" "$t0" "$t1" "$WORK/Reports" <<'PY'
import os, sys
n = int(sys.argv[1]); s0, s1, t0, t1 = map(float, sys.argv[2:6]); out = sys.argv[6]
files = sum(len(f) for _, _, f in os.walk(out))
size = sum(os.path.getsize(os.path.join(r, x)) for r, _, fs in os.walk(out) for x in fs)
print(f"set-up (train + backtest {n} symbols): {s1 - s0:.1f} s")
print(f"augur report, {n} symbols: {t1 - t0:.2f} s ({n / (t1 - t0):.0f} symbols/s), {files} files, {size / 1e6:.1f} MB")
PY
