#!/usr/bin/env bash
# Import benchmark: `augur bench import` against the sqlite3 shell's `.import --csv` of the same
# generated file into the same schema, in one script on one machine, and the ratio of the two.
# Usage: scripts/bench-import.sh [ROWS]   (default 1,000,000)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
AUGUR=${AUGUR:-.build/release/augur}
WORK=$(mktemp -d /tmp/augur-bench-import.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
CSV="$WORK/bench.csv"

command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing: run 'make setup'" >&2; exit 1; }
"$AUGUR" bench import --rows "$ROWS" --file "$CSV" --json > /dev/null   # generate once, warm the page cache
ours=$("$AUGUR" bench import --rows "$ROWS" --file "$CSV" --json)

# The bars table as Augur creates it, less the symbol_id column the shell cannot fill from a CSV;
# same WITHOUT ROWID primary key, WAL and synchronous=NORMAL. The shell validates nothing.
DB="$WORK/shell.sqlite"
sqlite3 "$DB" <<'SQL' >/dev/null
PRAGMA journal_mode=WAL;
CREATE TABLE bars (date TEXT NOT NULL, open REAL, high REAL, low REAL, close REAL NOT NULL,
                   adj_close REAL, volume REAL, PRIMARY KEY (date)) WITHOUT ROWID;
SQL
t0=$(date +%s.%N)
sqlite3 "$DB" "PRAGMA synchronous=NORMAL;" ".import --csv --skip 1 $CSV bars"
t1=$(date +%s.%N)
shell_rows=$(sqlite3 "$DB" "SELECT COUNT(*) FROM bars")

python3 - "$ours" "$t0" "$t1" "$shell_rows" <<'PY'
import json, sys
ours = json.loads(sys.argv[1]); t0, t1 = float(sys.argv[2]), float(sys.argv[3]); rows = int(sys.argv[4])
shell = rows / (t1 - t0)
print(f"{'import of ' + format(ours['rows'], ',') + ' rows':<34} {'rows/s':>12} {'seconds':>8} {'peak MB':>8}")
print(f"{'augur (parse+validate+write)':<34} {ours['rows_per_second']:>12,.0f} {ours['seconds']:>8.3f} {ours['peak_rss_mb']:>8.1f}")
print(f"{'sqlite3 shell .import --csv':<34} {shell:>12,.0f} {t1 - t0:>8.3f} {'-':>8}")
print(f"ratio augur / sqlite3: {ours['rows_per_second'] / shell:.2f}x (target >= 1.5x, peak memory < 64 MB)")
PY
