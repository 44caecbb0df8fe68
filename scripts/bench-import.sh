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

# The same file into PostgreSQL (a throwaway server on 127.0.0.1; skipped, saying so, when PostgreSQL
# is not installed): augur's import (parse, validate, COPY into a staging table, one upsert merge,
# commit) against psql's \copy of the file straight into an equivalent bars table (no validation, no
# merge), three rounds interleaved, medians.
PGDIR=$(mktemp -d /tmp/augur-pg.XXXXXX)   # (beside WORK: the server user must reach it)
if ! URL=$(scripts/pg-server.sh start "$PGDIR" 2>/dev/null); then
  echo "PostgreSQL import: skipped (PostgreSQL is not installed; 'apt-get install postgresql')"
  exit 0
fi
trap 'scripts/pg-server.sh stop "$PGDIR"; rm -rf "$WORK"' EXIT
PORT=$(cat "$PGDIR/port")
export PGOPTIONS="-c client_min_messages=warning"
PSQL=(psql -X -q -h 127.0.0.1 -p "$PORT" -U augur -d augur -v ON_ERROR_STOP=1)
"$AUGUR" list --db "$URL" >/dev/null      # create the schema once, outside the timings
chmod a+r "$CSV"
ours_pg=(); psql_pg=()
for round in 1 2 3; do
  ours_pg+=("$("$AUGUR" bench import --rows "$ROWS" --file "$CSV" --db "$URL" --json)")
  "${PSQL[@]}" -c "DROP TABLE IF EXISTS bars_ref; CREATE TABLE bars_ref (date TEXT PRIMARY KEY, open DOUBLE PRECISION,
      high DOUBLE PRECISION, low DOUBLE PRECISION, close DOUBLE PRECISION NOT NULL, adj_close DOUBLE PRECISION,
      volume DOUBLE PRECISION)"
  t0=$(date +%s.%N)
  "${PSQL[@]}" -c "\\copy bars_ref FROM '$CSV' WITH (FORMAT csv, HEADER true)"
  t1=$(date +%s.%N)
  psql_pg+=("$(python3 -c "print($t1 - $t0)")")
done
python3 - "$ROWS" "${ours_pg[@]}" "${psql_pg[@]}" <<'PY'
import json, statistics, sys
rows = int(sys.argv[1]); rest = sys.argv[2:]; n = len(rest) // 2
ours = [json.loads(x) for x in rest[:n]]; ref = [float(x) for x in rest[n:]]
a = [o["rows_per_second"] for o in ours]; b = [rows / t for t in ref]
ratios = [x / y for x, y in zip(a, b)]
print(f"{'PostgreSQL import of ' + format(rows, ',') + ' rows':<34} {'rows/s':>12}  (median of {n}, range)")
print(f"{'augur (parse+validate+COPY+merge)':<34} {statistics.median(a):>12,.0f}  ({min(a):,.0f}–{max(a):,.0f})")
ref_name = "psql \\copy into the table"
print(f"{ref_name:<34} {statistics.median(b):>12,.0f}  ({min(b):,.0f}–{max(b):,.0f})")
print("ratio augur / psql \\copy: " + f"{statistics.median(ratios):.2f}x (range {min(ratios):.2f}–{max(ratios):.2f}); peak memory {max(o['peak_rss_mb'] for o in ours):.1f} MB")
PY
