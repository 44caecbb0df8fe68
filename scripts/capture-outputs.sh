#!/usr/bin/env bash
# scripts/capture-outputs.sh BIN OUTDIR: backtest --json and forecast --json of every bundled symbol,
# the daily job and report --stdout, in a fresh database. Run it with the binaries of two commits and
# diff the folders: a refactoring that keeps behaviour gives identical files (the "trained" timings
# of forecast --json are dropped).
set -euo pipefail
BIN=$1; OUT=$2; mkdir -p $OUT; DB=$OUT/db.sqlite; rm -f $DB*
cd "$(dirname "$0")/.."
$BIN import data/*.csv --db $DB > /dev/null
for s in $($BIN list --names --db $DB); do
  $BIN backtest $s --json --db $DB > $OUT/backtest-$s.json
done
for s in $($BIN list --names --db $DB); do
  $BIN forecast $s --horizon 20 --json --db $DB 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("trained",None); print(json.dumps(d,sort_keys=True))' > $OUT/forecast-$s.json
done
$BIN daily --db $DB > $OUT/daily.txt
$BIN report --stdout --db $DB > $OUT/report.txt
