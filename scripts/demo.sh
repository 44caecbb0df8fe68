#!/usr/bin/env bash
# The main job on the bundled data: import every CSV in data/, train an LSTM per symbol and forecast
# every symbol with auto weighing it beside the statistical models (augur daily --neural), backtest
# each against the baselines, and write the reports into Reports/.
set -euo pipefail
cd "$(dirname "$0")/.."
AUGUR=${AUGUR:-.build/release/augur}
"$AUGUR" import data/*.csv
# The US market series trade on the NYSE's days: their forecast dates skip its holidays.
for s in SP500_DAILY SP500_DAILY_EU SP500_DAILY_STOOQ VIX_DAILY; do "$AUGUR" symbol "$s" --calendar NYSE; done
"$AUGUR" list
"$AUGUR" daily --neural
for s in $("$AUGUR" list --names); do
  echo
  "$AUGUR" backtest "$s"
done
if "$AUGUR" report --help >/dev/null 2>&1; then
  "$AUGUR" report $("$AUGUR" list --names) --out Reports
fi
