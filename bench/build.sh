#!/usr/bin/env bash
# Builds a generated site of N entries and reports wall time and peak memory.
#   bash bench/build.sh            # N = 10,000
#   bash bench/build.sh --entries 50000
#   bash bench/build.sh --quick    # N = 200, a smoke run for CI
set -euo pipefail
cd "$(dirname "$0")/.."

entries=10000
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) entries=200; runs=1 ;;
    --entries) entries="$2"; shift ;;
    --runs) runs="$2"; shift ;;
    *) echo "usage: bench/build.sh [--quick] [--entries N] [--runs N]" >&2; exit 2 ;;
  esac
  shift
done

cargo build --release --quiet --bin dateline --example corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/examples/corpus --entries "$entries" --out "$work/site" >/dev/null

echo "dateline build, $entries entries, $runs cold run(s) (fresh output each time), $(nproc) cores"
for run in $(seq "$runs"); do
  rm -rf "$work/site/public"
  /usr/bin/time -v target/release/dateline build --root "$work/site" >/dev/null 2>"$work/time.txt"
  wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
  echo "run $run: wall ${wall}  peak RSS $((rss / 1024)) MiB"
done
pages=$(find "$work/site/public" -name '*.html' | wc -l)
echo "output: $pages HTML pages, $(du -sh "$work/site/public" | cut -f1)"
