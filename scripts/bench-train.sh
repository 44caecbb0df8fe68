#!/usr/bin/env bash
# Training and inference benchmark: Augur's LSTM against the PyTorch reference, one
# configuration after the other on this machine, then a ratio table.
#
#   scripts/bench-train.sh            # everything (case S and M, H 32 and 128, both modes)
#   CASES=M HIDDEN=32 MODES=stateful scripts/bench-train.sh   # a subset
#
# Environment:
#   TORCH_PYTHON   python with torch (default /work/torch-venv/bin/python)
#   AUGUR_BENCH_REF  folder holding anchors_data.py and bench_torch.py (default ../shared/bench)
#   AUGUR_BIN      use this augur binary instead of building one with `swift build -c release`
#   BENCH_DATA     where the float32 data are dumped (default .build/bench-data)
#   EPOCHS         timed epochs per run (default 5, after one warm-up epoch)
#   CASES, HIDDEN, MODES, THREADS  space-separated subsets (defaults "S M", "32 128",
#                  "stateful stateless", "1 2")
#   ROUNDS         repeat every training configuration (both sides) this many times (default 1);
#                  the table takes each side's best run, and gives the ratio within each round
#                  (median, min-max). This machine's virtual CPUs change speed by ±20% from minute
#                  to minute, so one round of each can mislead either way.
# Results: bench-out/train-<time>.jsonl (one JSON object per run) and the table on stdout.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
REF="${AUGUR_BENCH_REF:-$ROOT/../shared/bench}"
TORCH_PYTHON="${TORCH_PYTHON:-/work/torch-venv/bin/python}"
DATA="${BENCH_DATA:-.build/bench-data}"
EPOCHS="${EPOCHS:-5}"
CASES="${CASES:-S M}"
HIDDEN="${HIDDEN:-32 128}"
MODES="${MODES:-stateful stateless}"
THREADS="${THREADS:-1 2}"
ROUNDS="${ROUNDS:-1}"

if [[ ! -f "$REF/anchors_data.py" ]]; then
    echo "bench-train: reference workload not found in $REF (set AUGUR_BENCH_REF)" >&2
    exit 1
fi

# 1. Data (the reference script writes the float32 files both sides read).
if [[ ! -f "$DATA/series_M.f32" || ! -f "$DATA/series_S.f32" || ! -f "$DATA/infer_500x257.f32" ]]; then
    echo "== dumping the reference data into $DATA"
    python3 "$REF/anchors_data.py" --dump "$DATA"
fi

# 2. Our release binary (AUGUR_BIN skips the build and uses that binary).
source "$ROOT/scripts/augur-binary.sh"

# 3. PyTorch, when available.
HAVE_TORCH=1
if ! "$TORCH_PYTHON" -c "import torch" >/dev/null 2>&1; then
    HAVE_TORCH=0
    cat >&2 <<MSG
bench-train: no PyTorch at TORCH_PYTHON=$TORCH_PYTHON; running Augur only.
To set up the reference (no internet needed; the CPU wheel is on the machine image):
    python3 -m venv /work/torch-venv
    /work/torch-venv/bin/pip install --no-deps "torch==2.13.0+cpu"
    /work/torch-venv/bin/pip install filelock typing-extensions sympy networkx jinja2 fsspec numpy
then rerun, or point TORCH_PYTHON at a python that imports torch.
MSG
fi

mkdir -p bench-out
OUT="bench-out/train-$(date +%Y%m%d-%H%M%S).jsonl"
: > "$OUT"
echo "== results in $OUT (load average at start: $(cut -d' ' -f1-3 /proc/loadavg))"

for round in $(seq "$ROUNDS"); do
for c in $CASES; do
    for h in $HIDDEN; do
        for m in $MODES; do
            for t in $THREADS; do
                echo "-- augur case=$c H=$h mode=$m threads=$t (round $round)"
                "$AUGUR" bench train --case "$c" --hidden "$h" --mode "$m" --threads "$t" --epochs "$EPOCHS" \
                    --data "$DATA" --json | sed "s/^{/{\"round\":$round,/" | tee -a "$OUT"
                if [[ $HAVE_TORCH == 1 ]]; then
                    echo "-- torch case=$c H=$h mode=$m threads=$t (round $round)"
                    infer=()
                    [[ $c == M && $m == stateful ]] && infer=(--infer)
                    "$TORCH_PYTHON" "$REF/bench_torch.py" --case "$c" --hidden "$h" --mode "$m" --threads "$t" \
                        --epochs "$EPOCHS" "${infer[@]}" | tee -a /dev/stderr | sed -n "s/^RESULT {/{\"round\": $round, /p" >> "$OUT"
                fi
            done
        done
    done
done
done
for h in $HIDDEN; do
    for t in $THREADS; do
        echo "-- augur infer H=$h threads=$t"
        "$AUGUR" bench infer --hidden "$h" --threads "$t" --data "$DATA" --json | tee -a "$OUT"
    done
done
echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

# 4. The table: ours best / torch best (steps/s), per configuration, and inference latency.
python3 - "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def is_torch(r): return r.get("framework", "").startswith("torch")
def sps(r): return r.get("steps_per_second", r.get("steps_per_s"))
def best(rs, key, pick=max): return pick(rs, key=key) if rs else None
def fmt(v, f, empty="n/a"): return format(v, f) if v is not None else empty
train = [r for r in rows if "steps_per_epoch" in r]
targets = {32: 3.0, 128: 1.5}
print()
print("%-4s %4s %-10s %22s %22s %6s %9s %16s %9s %10s %10s" % ("case", "H", "mode", "augur best steps/s",
      "torch best steps/s", "ratio", "target", "rounds: med min-max", "augur MB", "augur MSE", "torch MSE"))
for k in sorted({(r["case"], r["H"], r["mode"]) for r in train}):
    ours = [r for r in train if (r["case"], r["H"], r["mode"]) == k and not is_torch(r)]
    theirs = [r for r in train if (r["case"], r["H"], r["mode"]) == k and is_torch(r)]
    o, t = best(ours, sps), best(theirs, sps)
    ratio = sps(o) / sps(t) if o and t else None
    tgt = targets.get(k[1])
    verdict = "" if ratio is None or tgt is None else ("%.1fx %s" % (tgt, "ok" if ratio >= tgt else "MISS"))
    cell = lambda r: ("%s (%dt)" % (format(sps(r), ",.0f"), r["threads"])) if r else "n/a"
    # The same ratio within each round (best thread count of each side in that round).
    per_round = []
    for rd in sorted({r.get("round", 1) for r in ours}):
        ro = best([r for r in ours if r.get("round", 1) == rd], sps)
        rt = best([r for r in theirs if r.get("round", 1) == rd], sps)
        if ro and rt: per_round.append(sps(ro) / sps(rt))
    spread = ("%.2f %.2f-%.2f" % (sorted(per_round)[len(per_round) // 2], min(per_round), max(per_round))
              if len(per_round) > 1 else "")
    print("%-4s %4d %-10s %22s %22s %6s %9s %16s %9s %10s %10s" % (k[0], k[1], k[2], cell(o), cell(t),
          fmt(ratio, ".2f"), verdict, spread, fmt(o and o["peak_rss_mb"], ".0f", ""),
          fmt(o and o["final_mse"], ".5f", ""), fmt(t and t["final_train_mse"], ".5f", "")))
infer_ours = [r for r in rows if "infer_update_ms" in r and not is_torch(r)]
infer_torch = [r for r in rows if "infer_update_ms" in r and is_torch(r)]
if infer_ours:
    print()
    print("%-5s %4s %18s %18s %18s %18s %9s" % ("infer", "H", "augur update ms", "torch update ms",
          "augur 20-step ms", "torch 20-step ms", "augur MB"))
    for h in sorted({r["H"] for r in infer_ours}):
        os_ = [r for r in infer_ours if r["H"] == h]
        ts = [r for r in infer_torch if r["H"] == h]
        o = best(os_, lambda r: r["infer_update_ms"], min)
        t = best(ts, lambda r: r["infer_update_ms"], min)
        of = min(r["infer_forecast20_ms"] for r in os_)
        tf = min(r["infer_forecast20_ms"] for r in ts) if ts else None
        print("%-5s %4d %18s %18s %18s %18s %9.0f" % ("", h,
              "%.3f (%dt)" % (o["infer_update_ms"], o["threads"]),
              ("%.3f (%dt)" % (t["infer_update_ms"], t["threads"])) if t else "n/a",
              "%.3f" % of, fmt(tf, ".3f"), max(r["peak_rss_mb"] for r in os_)))
    print("targets: update < 0.15 ms at H=32; peak memory < 100 MB")
PY
