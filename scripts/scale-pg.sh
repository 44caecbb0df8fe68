#!/usr/bin/env bash
# The scale run behind docs/scale.md: N synthetic daily symbols (two years each) in a throwaway
# PostgreSQL server, processed by sharded `augur` workers as a scheduler would start them.
#   1. import (one augur import of N files: COPY per file), cost per symbol;
#   2. 4 workers `daily --shard K/4` at once; one of them killed mid-run (SIGKILL) and its shard re-run:
#      every symbol must end with exactly one forecast run and one selection, nothing doubled;
#   3. throughput of 1 and 2 concurrent workers on the same symbols (forecasts, selections and
#      calibrations deleted between runs), ROUNDS rounds interleaved: medians and ranges;
#   4. the other stages on a sample (a new bar for every symbol then `daily`, `train --each`, `report`),
#      cost per symbol, and the database's size.
# Usage: scripts/scale-pg.sh [SYMBOLS] [ROUNDS]   (default 2000 symbols, 3 rounds; AUGUR=binary;
#        STAGES_ONLY=1: one worker, then the stages of step 4 only)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
ROUNDS=${2:-3}
AUGUR=${AUGUR:-.build/release/augur}
SAMPLE=${SAMPLE:-40}
THROUGHPUT=${THROUGHPUT:-200}
WORK=$(mktemp -d /tmp/augur-scale.XXXXXX)
PGDIR=$(mktemp -d /tmp/augur-pg.XXXXXX)   # (beside WORK: the server user must reach it)
URL=$(scripts/pg-server.sh start "$PGDIR")
trap 'scripts/pg-server.sh stop "$PGDIR"; rm -rf "$WORK"' EXIT
PORT=$(cat "$PGDIR/port")
PSQL=(psql -X -q -t -A -h 127.0.0.1 -p "$PORT" -U augur -d augur -v ON_ERROR_STOP=1)
export AUGUR_DB="$URL"
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; $(psql --version | head -1)"
echo "symbols: $N synthetic daily series of 504 business days (2019-01-01 …), seeded"

# Synthetic prices: geometric random walks with per-symbol drift and volatility (some with a weekly
# pattern in the volume), written as Yahoo-style CSVs; plus, per symbol, the next day's bar.
python3 - "$WORK/csv" "$WORK/next" "$N" <<'PY'
import os, sys, datetime, random
out, nxt, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out); os.makedirs(nxt)
days, d = [], datetime.date(2019, 1, 1)
while len(days) < 505:
    if d.weekday() < 5: days.append(d)
    d += datetime.timedelta(days=1)
for k in range(n):
    rng = random.Random(1000 + k)
    mu, sigma, p = rng.uniform(-2e-4, 6e-4), rng.uniform(0.006, 0.03), rng.uniform(5, 500)
    rows = []
    for day in days:
        p *= 1 + rng.gauss(mu, sigma)
        o = p * (1 + rng.gauss(0, sigma / 4)); h = max(o, p) * (1 + abs(rng.gauss(0, sigma / 3)))
        l = min(o, p) * (1 - abs(rng.gauss(0, sigma / 3)))
        rows.append(f"{day.isoformat()},{o:.4f},{h:.4f},{l:.4f},{p:.4f},{p:.4f},{int(rng.uniform(1e5, 1e7))}\n")
    head = "Date,Open,High,Low,Close,Adj Close,Volume\n"
    with open(f"{out}/S{k:06d}.csv", "w") as f: f.write(head + "".join(rows[:-1]))
    with open(f"{nxt}/S{k:06d}.csv", "w") as f: f.write(head + rows[-1])
PY

t0=$(now); "$AUGUR" import "$WORK"/csv/*.csv > "$WORK/import.log"; t1=$(now)
IMPORT_S=$(secs "$t0" "$t1")
echo "import: $N files, $("${PSQL[@]}" -c "SELECT COUNT(*) FROM bars") bars in ${IMPORT_S} s"

if [ -z "${STAGES_ONLY:-}" ]; then
# --- 4 workers at once, one killed mid-run and its shard re-run ---
t0=$(now)
for k in 0 1 2 3; do "$AUGUR" daily --shard "$k/4" > "$WORK/daily-$k.log" 2>&1 & eval "pid$k=$!"; done
# Kill worker 2 once it has finished a third of its symbols (about N/12 lines).
target=$(( N / 12 ))
while kill -0 "$pid2" 2>/dev/null && [ "$(wc -l < "$WORK/daily-2.log")" -lt "$target" ]; do sleep 0.1; done
if kill -9 "$pid2" 2>/dev/null; then killed_after="$(wc -l < "$WORK/daily-2.log") (printed)"; else killed_after="none (it had finished)"; fi
wait "$pid0" "$pid1" "$pid3" "$pid2" 2>/dev/null || true
t1=$(now)
"$AUGUR" daily --shard 2/4 > "$WORK/daily-2-rerun.log" 2>&1
t2=$(now)
echo "4 workers at once: ${N} symbols; worker 2 killed after ${killed_after} symbols; 3 others done in $(secs "$t0" "$t1") s, shard 2 re-run in $(secs "$t1" "$t2") s"
"${PSQL[@]}" -c "SELECT 'symbols with forecasts: ' || COUNT(DISTINCT symbol) || ' of $N; forecast runs: ' || COUNT(DISTINCT (symbol, model, as_of))
                 || '; rows: ' || COUNT(*) || ' (expected ' || 5 * $N || ')' FROM forecasts"
"${PSQL[@]}" -c "SELECT 'symbols with more than one run: ' || COUNT(*) FROM (SELECT symbol FROM forecasts GROUP BY symbol HAVING COUNT(DISTINCT (model, as_of)) > 1) x"
"${PSQL[@]}" -c "SELECT 'symbols with more than one selection: ' || COUNT(*) FROM (SELECT symbol FROM selections GROUP BY symbol HAVING COUNT(*) > 1) x"
echo "re-run of shard 2: $(grep -c 'up to date' "$WORK/daily-2-rerun.log" || true) symbols already done by the killed worker, $(grep -vc 'up to date' "$WORK/daily-2-rerun.log" || true) finished now"
"${PSQL[@]}" -c "SELECT 'database: ' || pg_size_pretty(pg_database_size('augur')) || ' (' || pg_database_size('augur') || ' bytes)'"

# --- throughput of 1 and 2 workers on the first THROUGHPUT symbols ---
# A database of its own holding the first THROUGHPUT symbols, so each run does the same work.
"${PSQL[@]}" -c "CREATE DATABASE tp" >/dev/null
TP_URL="${URL/\/augur\?/\/tp?}"
all_csv=("$WORK"/csv/*.csv)
AUGUR_DB="$TP_URL" "$AUGUR" import "${all_csv[@]:0:$THROUGHPUT}" > /dev/null
TPSQL=(psql -X -q -t -A -h 127.0.0.1 -p "$PORT" -U augur -d tp -v ON_ERROR_STOP=1)
reset() { "${TPSQL[@]}" -c "DELETE FROM forecasts; DELETE FROM selections; DELETE FROM calibrations" -c "VACUUM ANALYZE" >/dev/null; }
one=(); two=()
for r in $(seq "$ROUNDS"); do
  reset; t0=$(now); AUGUR_DB="$TP_URL" "$AUGUR" daily > /dev/null; t1=$(now); one+=("$(secs "$t0" "$t1")")
  reset; t0=$(now)
  AUGUR_DB="$TP_URL" "$AUGUR" daily --shard 0/2 > /dev/null & a=$!
  AUGUR_DB="$TP_URL" "$AUGUR" daily --shard 1/2 > /dev/null & b=$!
  wait "$a" "$b"; t1=$(now); two+=("$(secs "$t0" "$t1")")
done
python3 - "$THROUGHPUT" "${one[*]}" "${two[*]}" <<'PY'
import statistics, sys
n = int(sys.argv[1]); one = [float(x) for x in sys.argv[2].split()]; two = [float(x) for x in sys.argv[3].split()]
s1 = [n / t for t in one]; s2 = [n / t for t in two]
ratios = [b / a for a, b in zip(s1, s2)]
print(f"throughput on {n} symbols (daily, auto selection from scratch), {len(one)} rounds interleaved:")
print(f"  1 worker : {statistics.median(s1):6.2f} symbols/s (range {min(s1):.2f}-{max(s1):.2f}); seconds {one}")
print(f"  2 workers: {statistics.median(s2):6.2f} symbols/s (range {min(s2):.2f}-{max(s2):.2f}); seconds {two}")
print(f"  scaling 2/1: {statistics.median(ratios):.2f}x (range {min(ratios):.2f}-{max(ratios):.2f}; target >= 1.7x)")
PY

else
  t0=$(now); "$AUGUR" daily > /dev/null; t1=$(now)
  echo "daily (auto selection from scratch), one worker: $(secs "$t0" "$t1") s for $N symbols"
  "${PSQL[@]}" -c "SELECT 'database: ' || pg_size_pretty(pg_database_size('augur'))"
fi

# --- the other stages on a sample, one worker ---
next_csv=("$WORK"/next/*.csv)
t0=$(now); "$AUGUR" import "${next_csv[@]:0:$SAMPLE}" > /dev/null; t1=$(now)
echo "import of one new bar: $(secs "$t0" "$t1") s for $SAMPLE symbols"
# (daily over all symbols: the sample has a new bar, the rest are up to date)
t0=$(now); "$AUGUR" daily > "$WORK/daily-next.log"; t1=$(now)
echo "daily with one new bar for $SAMPLE symbols (the others up to date): $(secs "$t0" "$t1") s; $(grep -vc 'up to date' "$WORK/daily-next.log" || true) forecast anew"
SYMS=(); for f in "${next_csv[@]:0:$SAMPLE}"; do b=${f##*/}; SYMS+=("${b%.csv}"); done
t0=$(now); "$AUGUR" train "${SYMS[@]}" --each --quiet > /dev/null; t1=$(now)
echo "train --each (default stateful LSTM): $(secs "$t0" "$t1") s for $SAMPLE symbols"
t0=$(now); "$AUGUR" report "${SYMS[@]:0:10}" --out "$WORK/reports" > /dev/null; t1=$(now)
echo "report (first backtest included): $(secs "$t0" "$t1") s for 10 symbols"
"${PSQL[@]}" -c "SELECT 'database after all stages: ' || pg_size_pretty(pg_database_size('augur'))"
"${PSQL[@]}" -c "SELECT relname || ': ' || pg_size_pretty(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 6"
