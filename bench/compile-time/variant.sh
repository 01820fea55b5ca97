#!/usr/bin/env bash
# Builds a variant of the corpus crate (see variant.py) next to the baseline
# made by setup.sh and times it with measure.sh. Shares the baseline's target
# directory, so dependencies are not rebuilt.
#
#   bash bench/compile-time/variant.sh NAME [RUNS] [debug|release|both]
#   e.g. variant.sh lib-decode 3 both;  variant.sh no-de-with+lib-decode 1 debug
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BASE=$ROOT/target/compile-time
NAME=$1
V=$ROOT/target/compile-time-variants/$NAME
rm -rf "$V"; mkdir -p "$V"
cp -r "$BASE/sdk" "$BASE/consumer" "$BASE/Cargo.toml" "$BASE/Cargo.lock" "$BASE/bench.env" "$V/"
python3 "$ROOT/bench/compile-time/variant.py" "$NAME" "$V/sdk/src"
export CARGO_TARGET_DIR=$BASE/target
# Check it compiles (this also builds nothing else: deps are shared).
(cd "$V" && CARGO_INCREMENTAL=0 cargo build -q -p consumer)
CT=$V OUT=$V/results.tsv bash "$ROOT/bench/compile-time/measure.sh" "${2:-3}" "${3:-both}"
