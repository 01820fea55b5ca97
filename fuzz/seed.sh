#!/usr/bin/env bash
# Seeds fuzz/corpus/{markdown,yaml,pipeline} from the Elasticsearch corpus
# pages (read-only reference data: copied at run time, never committed) and
# the workspace's specs/. YAML seeds are `aliyun-codegen dump --yaml` of
# each page.
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${1:-../shared/corpus/elasticsearch/docs}
mkdir -p fuzz/corpus/markdown fuzz/corpus/yaml fuzz/corpus/pipeline
cargo build -q -p aliyun-codegen --features cli
for page in "$docs"/*.md specs/*/*.md; do
    case $page in specs/*) name=specs-$(basename "$page" .md) ;; *) name=$(basename "$page" .md) ;; esac
    cp "$page" "fuzz/corpus/markdown/$name.md"
    cp "$page" "fuzz/corpus/pipeline/$name.md"
    target/debug/aliyun-codegen dump --yaml "$page" > "fuzz/corpus/yaml/$name.yaml" 2>/dev/null || true
    cp "fuzz/corpus/yaml/$name.yaml" "fuzz/corpus/pipeline/$name.yaml"
done
echo "seeded: $(ls fuzz/corpus/markdown | wc -l) markdown, $(ls fuzz/corpus/yaml | wc -l) yaml, $(ls fuzz/corpus/pipeline | wc -l) pipeline"
