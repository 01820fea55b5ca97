#!/usr/bin/env bash
# Times the builds of one or more subjects laid out by setup.sh: the client
# library and its consumer. Dependencies stay built; only the two crates are
# cleaned (`cargo clean -p`) before each timed build. CARGO_INCREMENTAL=0.
# Several subjects are interleaved build by build (run 1 of every subject,
# then run 2, ...), so drift in the load of the shared machine hits all of
# them alike. Prints one TSV row per build and the medians; when an ali-acs
# subject is among them, also each subject's ratio to it.
#
#   bash bench/compile-time/measure.sh [RUNS] [debug|release|both] [CT_DIR...]
#   ROWS="lib+consumer" bash bench/compile-time/measure.sh 3 both \
#       target/compile-time-corpus-ecs target/compile-time-ali-acs-ecs
#
# CT_DIR defaults to $CT, else target/compile-time. ROWS (default all three)
# picks among lib+consumer (both crates cleaned, consumer built: the
# issue's metric), consumer-only (consumer cleaned) and lib-only (library
# cleaned, library built); a subject without a separate library (setup.sh
# `only`) has lib+consumer only. Results are appended to $OUT (default
# target/compile-time/measure.tsv).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
RUNS=${1:-3}
WHICH=${2:-both}
shift 2 || true
DIRS=("$@")
[[ ${#DIRS[@]} -gt 0 ]] || DIRS=("${CT:-$ROOT/target/compile-time}")
ROWS=${ROWS:-lib+consumer consumer-only lib-only}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target/compile-time/target} CARGO_INCREMENTAL=0
OUT=${OUT:-$ROOT/target/compile-time/measure.tsv}
mkdir -p "$(dirname "$OUT")"

load() { cut -d' ' -f1 /proc/loadavg; }

# run DIR ROW PROFILE
run() {
    local dir=$1 row=$2 profile=$3
    local SDK_PKG OPS SOURCE PRODUCT
    # shellcheck disable=SC1091
    source "$dir/bench.env"
    local clean=() build=(-p consumer)
    case $row in
        lib+consumer) clean=(-p consumer); [[ -n $SDK_PKG ]] && clean+=(-p "$SDK_PKG") ;;
        consumer-only) [[ -n $SDK_PKG ]] || return 0; clean=(-p consumer) ;;
        lib-only) [[ -n $SDK_PKG ]] || return 0; clean=(-p "$SDK_PKG"); build=(-p "$SDK_PKG") ;;
    esac
    local rel=(); [[ $profile == release ]] && rel=(--release)
    (cd "$dir" && cargo clean -q "${rel[@]}" "${clean[@]}" 2>/dev/null)
    local before; before=$(load)
    (cd "$dir" && /usr/bin/time -o "$dir/.time" -f '%e %U %S' cargo build -q "${rel[@]}" "${build[@]}" >/dev/null)
    read -r wall user sys < "$dir/.time"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(basename "$dir")" "$OPS" "$row" "$profile" \
        "$wall" "$user" "$sys" "$before" "$(load)" | tee -a "$OUT"
}

for i in "${!DIRS[@]}"; do DIRS[i]=$(realpath "${DIRS[i]}"); done
[[ -f $OUT ]] || printf 'subject\tops\twhat\tprofile\twall_s\tuser_s\tsys_s\tload_before\tload_after\n' > "$OUT"
profiles=(debug release); [[ $WHICH != both ]] && profiles=("$WHICH")
for profile in "${profiles[@]}"; do
    for _ in $(seq "$RUNS"); do
        for row in $ROWS; do
            for dir in "${DIRS[@]}"; do run "$dir" "$row" "$profile"; done
        done
    done
done

echo "medians ($OUT):"
python3 "$ROOT/bench/compile-time/summary.py" "$OUT" "${DIRS[@]/#*\//}"
