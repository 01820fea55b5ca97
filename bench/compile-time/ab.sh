#!/usr/bin/env bash
# A/B timing of the issue's metric (lib + consumer) for two compile-time
# folders made by setup.sh (for instance one per commit, each from its own
# worktree), interleaved run by run so drift in machine speed hits both.
#
#   bash bench/compile-time/ab.sh A_DIR B_DIR [RUNS]
#   (A_DIR/B_DIR are target/compile-time folders with prebuilt dependencies)
#
# Prints one line per build: profile, folder, wall, user and sys seconds.
set -u
A=$1; B=$2; RUNS=${3:-2}
for profile in debug release; do
  rel=(); [[ $profile == release ]] && rel=(--release)
  for _ in $(seq "$RUNS"); do
    for dir in "$A" "$B"; do
      cd "$dir" || exit 1
      export CARGO_TARGET_DIR=$dir/target CARGO_INCREMENTAL=0
      cargo clean -q "${rel[@]}" -p corpus-sdk -p consumer 2>/dev/null
      /usr/bin/time -o "$dir/.ab-time" -f '%e %U %S' cargo build -q "${rel[@]}" -p consumer >/dev/null 2>&1
      echo "$profile $dir $(cat "$dir/.ab-time")"
    done
  done
done
