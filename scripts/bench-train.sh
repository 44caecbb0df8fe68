#!/usr/bin/env bash
# Training and inference benchmark: Augur's LSTM on every kernel this CPU runs (AVX-512, AVX2,
# generic) against the PyTorch reference, interleaved in one script on one machine, then a table.
#
#   scripts/bench-train.sh                               # case M stateful, H 32 and 128, 1 and 2 threads, 3 rounds
#   ROUNDS=5 HIDDEN=128 THREADS=1 scripts/bench-train.sh  # a subset
#   KERNELS=avx2 scripts/bench-train.sh                   # one kernel (AUGUR_KERNEL for each Augur run)
#
# Every round runs, for each configuration (H, threads): Augur on each kernel, then PyTorch at the
# same thread count, so that the two sides alternate (augur, torch, augur, torch…) and a slow
# minute of this shared virtual machine hits both. Each run's steal time (the CPU time the
# hypervisor gave to other machines, from /proc/stat) is recorded; a round where either side saw
# more than STEAL_LIMIT percent is reported as noise and left out of the medians.
#
# Environment:
#   TORCH_PYTHON    python with torch (default /work/torch-venv/bin/python)
#   AUGUR_BENCH_REF folder holding anchors_data.py and bench_torch.py (default ../shared/bench)
#   AUGUR_BIN       use this augur binary instead of building one with `swift build -c release`
#   BENCH_DATA      where the float32 data are dumped (default .build/bench-data)
#   EPOCHS          timed epochs per run (default 3, after one warm-up epoch; the run reports their median)
#   CASES MODES HIDDEN THREADS KERNELS   space-separated subsets (defaults "M", "stateful",
#                   "32 128", "1 2", every kernel `augur bench cpu` lists)
#   ROUNDS          rounds (default 3)
#   STEAL_LIMIT     percent of steal above which a round is noise (default 5)
# Results: bench-out/train-<time>.jsonl (one JSON object per run) and the table on stdout.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
REF="${AUGUR_BENCH_REF:-$ROOT/../shared/bench}"
TORCH_PYTHON="${TORCH_PYTHON:-/work/torch-venv/bin/python}"
DATA="${BENCH_DATA:-.build/bench-data}"
EPOCHS="${EPOCHS:-3}"
CASES="${CASES:-M}"
MODES="${MODES:-stateful}"
HIDDEN="${HIDDEN:-32 128}"
THREADS="${THREADS:-1 2}"
ROUNDS="${ROUNDS:-3}"
STEAL_LIMIT="${STEAL_LIMIT:-5}"

if [[ ! -f "$REF/anchors_data.py" ]]; then
    echo "bench-train: reference workload not found in $REF (set AUGUR_BENCH_REF)" >&2
    exit 1
fi

# 1. Data (the reference script writes the float32 files both sides read).
if [[ ! -f "$DATA/series_M.f32" || ! -f "$DATA/series_S.f32" || ! -f "$DATA/infer_500x257.f32" ]]; then
    echo "== dumping the reference data into $DATA"
    python3 "$REF/anchors_data.py" --dump "$DATA"
fi

# 2. Our release binary (AUGUR_BIN skips the build and uses that binary), and the kernels to run.
source "$ROOT/scripts/augur-binary.sh"
KERNELS="${KERNELS:-$("$AUGUR" bench cpu --json | python3 -c 'import json,sys; print(" ".join(json.loads(l)["kernel"] for l in sys.stdin if l.strip()))')}"

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
"$AUGUR" bench cpu | sed 's/^/== /'

# The "cpu" line of /proc/stat: steal and total jiffies.
stat_now() { awk '/^cpu /{t=0; for(i=2;i<=9;i++) t+=$i; print $9, t}' /proc/stat; }
# steal percentage between two stat_now readings
steal_since() { read -r s0 t0 <<<"$1"; read -r s1 t1 <<<"$(stat_now)"
    awk -v a="$s0" -v b="$s1" -v c="$t0" -v d="$t1" 'BEGIN{ printf "%.2f", (d > c ? 100 * (b - a) / (d - c) : 0) }'; }
# Adds round, kernel and the run's steal to a JSON line.
tag() { sed "s/^{/{\"round\": $1, \"kernel\": \"$2\", \"steal_run\": $3, /"; }

for round in $(seq "$ROUNDS"); do
for c in $CASES; do
    for m in $MODES; do
        for h in $HIDDEN; do
            for t in $THREADS; do
                for k in $KERNELS; do
                    echo "-- round $round: augur case=$c H=$h mode=$m threads=$t kernel=$k"
                    s=$(stat_now)
                    line=$(AUGUR_KERNEL=$k "$AUGUR" bench train --case "$c" --hidden "$h" --mode "$m" --threads "$t" \
                        --epochs "$EPOCHS" --data "$DATA" --json)
                    echo "$line" | tag "$round" "$k" "$(steal_since "$s")" | tee -a "$OUT" | cut -c1-160
                done
                if [[ $HAVE_TORCH == 1 ]]; then
                    echo "-- round $round: torch case=$c H=$h mode=$m threads=$t"
                    infer=()
                    [[ $c == M && $m == stateful ]] && infer=(--infer)
                    s=$(stat_now)
                    line=$("$TORCH_PYTHON" "$REF/bench_torch.py" --case "$c" --hidden "$h" --mode "$m" --threads "$t" \
                        --epochs "$EPOCHS" "${infer[@]}" | sed -n 's/^RESULT //p')
                    echo "$line" | tag "$round" torch "$(steal_since "$s")" | tee -a "$OUT" | cut -c1-160
                fi
            done
        done
    done
done
for h in $HIDDEN; do
    for t in $THREADS; do
        for k in $KERNELS; do
            echo "-- round $round: augur infer H=$h threads=$t kernel=$k"
            s=$(stat_now)
            line=$(AUGUR_KERNEL=$k "$AUGUR" bench infer --hidden "$h" --threads "$t" --data "$DATA" --json)
            echo "$line" | tag "$round" "$k" "$(steal_since "$s")" | tee -a "$OUT" | cut -c1-160
        done
    done
done
done
echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

# 4. The tables.
python3 - "$OUT" "$STEAL_LIMIT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
limit = float(sys.argv[2])
def is_torch(r): return r.get("framework", "").startswith("torch")
def sps(r): return r.get("steps_per_second", r.get("steps_per_s"))
def med(xs): return statistics.median(xs) if xs else None
def rng(xs): return "%.2f-%.2f" % (min(xs), max(xs)) if xs else ""
machine = next((r["machine"] for r in rows if "machine" in r), None)
if machine:
    print()
    print("CPU: %s, %d cores, clock %s GHz (measured); kernels this CPU runs: %s" % (
        machine["cpu"], machine["cores"], "%.2f" % machine["clock_ghz"] if machine.get("clock_ghz") else "n/a",
        ", ".join(machine["kernels_available"])))
    peaks = {}
    for r in rows:
        if "machine" in r: peaks.setdefault(r["machine"]["kernel"], []).append(r["machine"]["fma_peak_gflops_per_core"])
    print("FMA peak per core (measured, median): " + ", ".join(
        "%s %.1f GFLOP/s (%.0f FLOP/cycle)" % (k, med(v), med(v) / machine["clock_ghz"] if machine.get("clock_ghz") else 0)
        for k, v in peaks.items()))
train = [r for r in rows if "steps_per_epoch" in r]
rounds = sorted({r["round"] for r in train})
# A round of a configuration is noise when any of its runs saw more steal than the limit.
def noisy(cfg, rd):
    return any(r["steal_run"] > limit for r in train if (r["case"], r["H"], r["mode"], r["threads"]) == cfg and r["round"] == rd)
targets = {32: 3.0, 128: 2.0}
print()
print("%-4s %4s %-9s %3s %-8s %14s %14s %7s %12s %8s %11s %10s %9s" % ("case", "H", "mode", "thr", "kernel",
      "augur steps/s", "torch steps/s", "ratio", "range", "target", "peak frac", "max steal", "rounds"))
configs = sorted({(r["case"], r["H"], r["mode"], r["threads"]) for r in train})
kernels = [k for k in ["avx512", "avx2", "generic"] if any(r["kernel"] == k for r in train)]
for cfg in configs:
    good = [rd for rd in rounds if not noisy(cfg, rd)]
    for k in kernels:
        ours = {r["round"]: r for r in train if (r["case"], r["H"], r["mode"], r["threads"]) == cfg and r["kernel"] == k}
        theirs = {r["round"]: r for r in train if (r["case"], r["H"], r["mode"], r["threads"]) == cfg and is_torch(r)}
        if not ours: continue
        use = [rd for rd in good if rd in ours]
        o = med([sps(ours[rd]) for rd in use])
        t = med([sps(theirs[rd]) for rd in use if rd in theirs])
        ratios = [sps(ours[rd]) / sps(theirs[rd]) for rd in use if rd in theirs]
        ratio = med(ratios)
        tgt = targets.get(cfg[1])
        verdict = "" if ratio is None or tgt is None or cfg[2] != "stateful" or cfg[0] != "M" else \
            "%.1fx %s" % (tgt, "ok" if ratio >= tgt else "MISS")
        steal = max([ours[rd]["steal_run"] for rd in ours] + [theirs[rd]["steal_run"] for rd in theirs])
        frac = med([ours[rd]["peak_fraction"] for rd in use])
        print("%-4s %4d %-9s %3d %-8s %14s %14s %7s %12s %8s %11s %9.1f%% %5d/%d" % (cfg[0], cfg[1], cfg[2], cfg[3], k,
              format(o, ",.0f") if o else "n/a", format(t, ",.0f") if t else "n/a",
              "%.2f" % ratio if ratio else "n/a", rng(ratios), verdict, "%.0f%%" % (100 * frac) if frac else "",
              steal, len(use), len(rounds)))
# Thread scaling: two threads over one, per kernel and H, within each round.
print()
print("%-8s %4s %-9s %22s %8s" % ("kernel", "H", "mode", "2 threads / 1 (range)", "target"))
for k in kernels:
    for (c, h, mode) in sorted({(cfg[0], cfg[1], cfg[2]) for cfg in configs}):
        one = {r["round"]: sps(r) for r in train if (r["case"], r["H"], r["mode"], r["threads"], r["kernel"]) == (c, h, mode, 1, k)}
        two = {r["round"]: sps(r) for r in train if (r["case"], r["H"], r["mode"], r["threads"], r["kernel"]) == (c, h, mode, 2, k)}
        xs = [two[rd] / one[rd] for rd in rounds if rd in one and rd in two
              and not noisy((c, h, mode, 1), rd) and not noisy((c, h, mode, 2), rd)]
        if xs:
            print("%-8s %4d %-9s %10.2f (%s) %8s" % (k, h, mode, med(xs), rng(xs),
                  ("1.7x " + ("ok" if med(xs) >= 1.7 else "MISS")) if h == 128 else ""))
infer = [r for r in rows if "infer_update_ms" in r]
if infer:
    print()
    print("%-8s %4s %3s %16s %16s %18s %18s %10s" % ("infer", "H", "thr", "augur update ms", "torch update ms",
          "augur 20-step ms", "torch 20-step ms", "target"))
    limits = {32: 0.1, 128: 0.5}
    for k in kernels:
        for h in sorted({r["H"] for r in infer}):
            for t in sorted({r["threads"] for r in infer if r["H"] == h}):
                os_ = [r for r in infer if r["H"] == h and r["threads"] == t and r["kernel"] == k and r["steal_run"] <= limit]
                ts = [r for r in infer if r["H"] == h and r["threads"] == t and is_torch(r) and r["steal_run"] <= limit]
                if not os_: continue
                u = med([r["infer_update_ms"] for r in os_])
                verdict = "%.1f ms %s" % (limits[h], "ok" if u <= limits[h] else "MISS") if h in limits else ""
                print("%-8s %4d %3d %16.3f %16s %18.3f %18s %10s" % (k, h, t, u,
                      "%.3f" % med([r["infer_update_ms"] for r in ts]) if ts else "n/a",
                      med([r["infer_forecast20_ms"] for r in os_]),
                      "%.3f" % med([r["infer_forecast20_ms"] for r in ts]) if ts else "n/a", verdict))
print()
print("Ratios: Augur's steps/s over PyTorch's at the same thread count within a round, median (range) of the")
print("rounds whose steal stayed under %.0f%%; peak frac: GFLOP/s over threads x one core's measured FMA peak." % limit)
PY
