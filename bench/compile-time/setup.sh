#!/usr/bin/env bash
# Lays out one compile-time subject as a workspace of two crates (the client
# library and a consumer binary that calls every operation once) and builds
# their dependencies (debug and release), so later timings (measure.sh) cover
# only the two crates.
#
#   bash bench/compile-time/setup.sh [SOURCE] [PRODUCT]
#
# SOURCE (default `corpus`):
#   corpus     PRODUCT's reference pages (../shared/corpus/PRODUCT/docs, or
#              $CORPUS) generated with `cargo codegen generate`, laid out as
#              the corpus tests do (tests/tests/corpus_crate.rs for ROA
#              products, tests/tests/ecs_corpus.rs for ecs: our product file,
#              the test's overrides). Default PRODUCT: elasticsearch.
#   generated  the checked-in generated/ crate with only PRODUCT's feature.
#   ali-acs    the crates.io crate ali-acs 0.8 with only PRODUCT's feature
#              (its `ecs` module): the library is the registry crate itself.
#   only       one crate whose build.rs generates $ONLY (default: 3 ECS
#              operations) from specs/PRODUCT with `Config::only`, and whose
#              main calls them; no separate library.
#
# The folder is $CT (default target/compile-time for `corpus elasticsearch`,
# target/compile-time-SOURCE-PRODUCT otherwise); every subject shares the
# target directory target/compile-time/target, so common dependencies are
# built once. $CT/bench.env records the library's package name and the
# number of operations for measure.sh.
#
#   SDK_SRC=target/corpus-crate/crate/src bash bench/compile-time/setup.sh
#                                 # corpus: reuse an already generated src/
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SOURCE=${1:-corpus}
PRODUCT=${2:-}
case $SOURCE in
    corpus) PRODUCT=${PRODUCT:-elasticsearch} ;;
    generated | ali-acs | only) PRODUCT=${PRODUCT:-ecs} ;;
    *) echo "unknown source $SOURCE" >&2; exit 2 ;;
esac
if [[ $SOURCE == corpus && $PRODUCT == elasticsearch ]]; then
    CT=${CT:-$ROOT/target/compile-time}
else
    CT=${CT:-$ROOT/target/compile-time-$SOURCE-$PRODUCT}
fi
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target/compile-time/target} CARGO_INCREMENTAL=0
mkdir -p "$CT"
MK=$ROOT/bench/compile-time/mkconsumer.py

# The workspace: the library in sdk/ (unless the library is a registry
# crate) and the consumer in consumer/.
rm -rf "$CT/sdk" "$CT/consumer"
mkdir -p "$CT/sdk" "$CT/consumer/src"
members='"consumer"'

# Writes sdk/Cargo.toml for a generated crate whose features are FEATURES
# (the first one is the default).
sdk_manifest() {
    local features=""
    for f in "$@"; do features+="$f = []"$'\n'; done
    mkdir -p "$CT/sdk"
    cat > "$CT/sdk/Cargo.toml" <<EOF
[package]
name = "corpus-sdk"
version = "0.0.0"
edition = "2024"
publish = false

[features]
default = ["$1"]
${features}blocking = []

[dependencies]
aliyun-runtime = { path = "$ROOT/runtime" }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
EOF
}

# Writes consumer/Cargo.toml: DEPENDENCY-LINES as given, plus tokio.
consumer_manifest() {
    cat > "$CT/consumer/Cargo.toml" <<EOF
[package]
name = "consumer"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
$1
tokio = { version = "1", features = ["rt", "macros"] }
EOF
}

case $SOURCE in
corpus)
    CORPUS=${CORPUS:-$ROOT/../shared/corpus/$PRODUCT/docs}
    if [[ -z "${SDK_SRC:-}" ]]; then
        rm -rf "$CT/specs" "$CT/gen-out"
        mkdir -p "$CT/specs/$PRODUCT"
        if [[ $PRODUCT == ecs ]]; then
            # As tests/tests/ecs_corpus.rs: our product file (RPC style,
            # endpoints, common parameters) and the test's overrides, read
            # from the test so there is one copy.
            cp "$ROOT/specs/ecs/product.yaml" "$CT/specs/ecs/product.yaml"
            python3 - "$ROOT/tests/tests/ecs_corpus.rs" > "$CT/specs/ecs/overrides.yaml" <<'EOF'
import sys
src = open(sys.argv[1]).read()
start = src.index('const OVERRIDES: &str = "\\\n') + len('const OVERRIDES: &str = "\\\n')
print(src[start:src.index('";\n', start)], end="")
EOF
        else
            # As tests/tests/corpus_crate.rs.
            printf 'product: elasticsearch\ntitle: Elasticsearch\nversion: "2017-06-13"\nstyle: ROA\n' \
                > "$CT/specs/$PRODUCT/product.yaml"
        fi
        cp "$CORPUS"/*.md "$CT/specs/$PRODUCT/"
        # The generator runs from the workspace's own target/.
        (unset CARGO_TARGET_DIR CARGO_INCREMENTAL; cargo codegen generate --specs "$CT/specs" --out "$CT/gen-out")
        SDK_SRC=$CT/gen-out/src
    fi
    SDK_SRC=$(realpath "$SDK_SRC")
    cp -r "$SDK_SRC" "$CT/sdk/src"
    # Same manifest as the corpus tests (default features: no blocking).
    sdk_manifest "$PRODUCT"
    consumer_manifest 'corpus-sdk = { path = "../sdk" }'
    members='"sdk", "consumer"'
    SDK_PKG=corpus-sdk
    python3 "$MK" "$CT/sdk/src" corpus-sdk "$PRODUCT" > "$CT/consumer/src/main.rs" 2> "$CT/ops.txt"
    ;;
generated)
    cp -r "$ROOT/generated/src" "$CT/sdk/src"
    # generated/Cargo.toml's features, PRODUCT's first, so only it is on.
    mapfile -t all < <(sed -n '/^\[features\]/,/^\[/p' "$ROOT/generated/Cargo.toml" |
        grep -oE '^[a-z_]+ = \[\]' | cut -d' ' -f1 | grep -vx blocking | grep -vx "$PRODUCT")
    sdk_manifest "$PRODUCT" "${all[@]}"
    consumer_manifest 'corpus-sdk = { path = "../sdk" }'
    members='"sdk", "consumer"'
    SDK_PKG=corpus-sdk
    python3 "$MK" "$CT/sdk/src" corpus-sdk "$PRODUCT" > "$CT/consumer/src/main.rs" 2> "$CT/ops.txt"
    ;;
ali-acs)
    # A placeholder main until the crate's sources are known (below).
    echo 'fn main() {}' > "$CT/consumer/src/main.rs"
    consumer_manifest "ali-acs = { version = \"${ALI_ACS_VERSION:-0.8}\", default-features = false, features = [\"$PRODUCT\"] }"
    SDK_PKG=ali-acs
    ;;
only)
    ONLY=${ONLY:-DescribeRegions DescribeInstances RunInstances}
    only_list=$(printf '"%s", ' $ONLY)
    cat > "$CT/consumer/Cargo.toml" <<EOF
[package]
name = "consumer"
version = "0.0.0"
edition = "2024"
publish = false
build = "build.rs"

[dependencies]
aliyun-runtime = { path = "$ROOT/runtime" }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
tokio = { version = "1", features = ["rt", "macros"] }

[build-dependencies]
aliyun-codegen = { path = "$ROOT/codegen" }
EOF
    cat > "$CT/consumer/build.rs" <<EOF
//! The README's build.rs, narrowed to a few operations of one product.
fn main() {
    aliyun_codegen::Config::new()
        .specs("$ROOT/specs")
        .products(["$PRODUCT"])
        .only([${only_list%, }])
        .compile()
        .expect("aliyun-codegen");
}
EOF
    cat > "$CT/consumer/src/lib.rs" <<'EOF'
//! The client that build.rs generated.
include!(concat!(env!("OUT_DIR"), "/aliyun_sdk.rs"));
EOF
    SDK_PKG=
    ;;
esac

cat > "$CT/Cargo.toml" <<EOF
[workspace]
resolver = "3"
members = [$members]
EOF
# Same dependency versions as the workspace (ali-acs adds its own).
cp "$ROOT/Cargo.lock" "$CT/Cargo.lock"

cd "$CT"
case $SOURCE in
ali-acs)
    # Its sources as cargo unpacked them.
    cargo fetch -q
    src=$(cargo metadata --format-version 1 | python3 -c '
import json, sys
m = json.load(sys.stdin)
print(next(p["manifest_path"] for p in m["packages"] if p["name"] == "ali-acs").rsplit("/", 1)[0] + "/src")')
    python3 "$MK" --ali-acs "$src" ali-acs "$PRODUCT" > consumer/src/main.rs 2> ops.txt
    ;;
only)
    # The generated module tells what the calls look like: generate once.
    cargo build -q -p consumer --lib
    out=$(ls -td "$CARGO_TARGET_DIR"/debug/build/consumer-*/out | head -1)
    python3 "$MK" --single "$out/aliyun_sdk.rs" consumer "$PRODUCT" > consumer/src/main.rs 2> ops.txt
    ;;
esac
OPS=$(grep -oE '^[0-9]+' ops.txt)
printf 'SDK_PKG=%s\nOPS=%s\nSOURCE=%s\nPRODUCT=%s\n' "$SDK_PKG" "$OPS" "$SOURCE" "$PRODUCT" > bench.env

echo "building dependencies (debug, release)"
cargo build -q -p consumer
cargo build -q -p consumer --release
echo "ready: $CT, $OPS operations, library ${SDK_PKG:-(in the consumer)}"
