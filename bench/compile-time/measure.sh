#!/usr/bin/env bash
# Times the builds of the corpus crate and its consumer (run setup.sh first).
# Dependencies stay built; only the two crates are cleaned before each run.
# CARGO_INCREMENTAL=0. Prints one TSV row per run and the medians.
#
#   bash bench/compile-time/measure.sh [RUNS] [debug|release|both]
#   CT=/path/to/other/compile-time-dir bash bench/compile-time/measure.sh   # a variant
set -euo pipefail
cd "$(dirname "$0")/../.."
CT=${CT:-$PWD/target/compile-time}
RUNS=${1:-3}
WHICH=${2:-both}
OPS=$(ls "$CT/sdk/src/elasticsearch" | grep -vc '^mod.rs$')
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$CT/target} CARGO_INCREMENTAL=0
cd "$CT"
OUT=${OUT:-$CT/results.tsv}

load() { cut -d' ' -f1 /proc/loadavg; }

# run LABEL PROFILE CLEAN... -- BUILD-ARGS...
run() {
    local label=$1 profile=$2; shift 2
    local clean=() build=()
    while [[ $1 != -- ]]; do clean+=("$1"); shift; done; shift
    build=("$@")
    local rel=(); [[ $profile == release ]] && rel=(--release)
    cargo clean -q "${rel[@]}" "${clean[@]}" 2>/dev/null
    local before; before=$(load)
    /usr/bin/time -o "$CT/.time" -f '%e %U %S' cargo build -q "${rel[@]}" "${build[@]}" >/dev/null
    read -r wall user sys < "$CT/.time"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$profile" "$wall" "$user" "$sys" "$before" "$(load)" | tee -a "$OUT"
}

[[ -f $OUT ]] || printf 'what\tprofile\twall_s\tuser_s\tsys_s\tload_before\tload_after\n' > "$OUT"
profiles=(debug release); [[ $WHICH != both ]] && profiles=("$WHICH")
for profile in "${profiles[@]}"; do
    for _ in $(seq "$RUNS"); do
        run lib+consumer "$profile" -p corpus-sdk -p consumer -- -p consumer
        run consumer-only "$profile" -p consumer -- -p consumer
        run lib-only "$profile" -p corpus-sdk -- -p corpus-sdk
    done
done

echo "medians over $OPS operations ($OUT):"
python3 - "$OUT" "$OPS" <<'EOF'
import sys, statistics, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])][1:]
ops = int(sys.argv[2])
g = collections.defaultdict(list)
for what, prof, wall, user, sys_, lb, la in rows:
    g[(what, prof)].append((float(wall), float(user) + float(sys_), float(lb), float(la)))
print("what\tprofile\truns\twall_s\tcpu_s\tms/op(wall)\tms/op(cpu)\tload")
for (what, prof), v in sorted(g.items()):
    w = statistics.median(x[0] for x in v); c = statistics.median(x[1] for x in v)
    lo = min(min(x[2], x[3]) for x in v); hi = max(max(x[2], x[3]) for x in v)
    print(f"{what}\t{prof}\t{len(v)}\t{w:.1f}\t{c:.1f}\t{1000*w/ops:.0f}\t{1000*c/ops:.0f}\t{lo:.2f}-{hi:.2f}")
EOF
