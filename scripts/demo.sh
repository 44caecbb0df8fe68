#!/usr/bin/env bash
# The main job on the bundled data: import every CSV in data/, train and forecast every symbol
# (augur daily), backtest each against the baselines, and write the reports into Reports/.
set -euo pipefail
cd "$(dirname "$0")/.."
AUGUR=${AUGUR:-.build/release/augur}
"$AUGUR" import data/*.csv
"$AUGUR" list
"$AUGUR" daily
for s in $("$AUGUR" list --names); do
  echo
  "$AUGUR" backtest "$s"
done
if "$AUGUR" report --help >/dev/null 2>&1; then
  "$AUGUR" report $("$AUGUR" list --names) --out Reports
fi
