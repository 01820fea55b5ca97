#!/usr/bin/env bash
# Generates the 134-operation corpus crate and a consumer binary that calls
# every operation, under target/compile-time/, then builds their
# dependencies (debug and release) so later timings cover only the two crates.
#
#   bash bench/compile-time/setup.sh            # generate with `cargo codegen generate`
#   SDK_SRC=target/corpus-crate/crate/src bash bench/compile-time/setup.sh
#                                               # reuse an already generated src/ tree
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CT=$ROOT/target/compile-time
CORPUS=${CORPUS:-$ROOT/../shared/corpus/elasticsearch/docs}
mkdir -p "$CT"

if [[ -z "${SDK_SRC:-}" ]]; then
    # Same specs folder as tests/tests/corpus_crate.rs builds.
    rm -rf "$CT/specs" "$CT/gen-out"
    mkdir -p "$CT/specs/elasticsearch"
    printf 'product: elasticsearch\ntitle: Elasticsearch\nversion: "2017-06-13"\nstyle: ROA\n' \
        > "$CT/specs/elasticsearch/product.yaml"
    cp "$CORPUS"/*.md "$CT/specs/elasticsearch/"
    cargo codegen generate --specs "$CT/specs" --out "$CT/gen-out"
    SDK_SRC=$CT/gen-out/src
fi
SDK_SRC=$(realpath "$SDK_SRC")

# A workspace of two crates: the generated library and the consumer.
rm -rf "$CT/sdk/src" "$CT/consumer/src"
mkdir -p "$CT/sdk" "$CT/consumer/src"
cp -r "$SDK_SRC" "$CT/sdk/src"
cat > "$CT/Cargo.toml" <<EOF
[workspace]
resolver = "3"
members = ["sdk", "consumer"]
EOF
# Same manifest as tests/tests/corpus_crate.rs (default features: no blocking).
cat > "$CT/sdk/Cargo.toml" <<EOF
[package]
name = "corpus-sdk"
version = "0.0.0"
edition = "2024"
publish = false

[features]
default = ["elasticsearch"]
elasticsearch = []
blocking = []

[dependencies]
aliyun-runtime = { path = "$ROOT/runtime" }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
EOF
cat > "$CT/consumer/Cargo.toml" <<EOF
[package]
name = "consumer"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
corpus-sdk = { path = "../sdk" }
tokio = { version = "1", features = ["rt", "macros"] }
EOF
python3 "$ROOT/bench/compile-time/mkconsumer.py" "$CT/sdk/src" corpus-sdk elasticsearch \
    > "$CT/consumer/src/main.rs"
# Same dependency versions as the workspace.
cp "$ROOT/Cargo.lock" "$CT/Cargo.lock"

export CARGO_TARGET_DIR=$CT/target CARGO_INCREMENTAL=0
cd "$CT"
echo "building dependencies (debug, release)"
cargo build -q -p consumer
cargo build -q -p consumer --release
echo "ready: $(ls sdk/src/elasticsearch | grep -vc mod.rs) operation files, $(cat sdk/src/elasticsearch/*.rs | wc -l) lines"
