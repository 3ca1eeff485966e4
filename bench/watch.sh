#!/usr/bin/env bash
# One-entry edits under `dateline watch` against a whole build, on a generated site.
#   bash bench/watch.sh            # N = 10,000 entries, 9 edits
#   bash bench/watch.sh --quick    # N = 200, 3 edits: a smoke run for CI
set -euo pipefail
cd "$(dirname "$0")/.."

entries=10000
edits=9
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) entries=200; edits=3 ;;
    --entries) entries="$2"; shift ;;
    --edits) edits="$2"; shift ;;
    *) echo "usage: bench/watch.sh [--quick] [--entries N] [--edits N]" >&2; exit 2 ;;
  esac
  shift
done

cargo build --release --quiet --bin dateline --example corpus --example edit_bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/examples/corpus --entries "$entries" --out "$work/site" >/dev/null

echo "whole build, $entries entries, 3 cold runs, $(nproc) cores"
for run in 1 2 3; do
  rm -rf "$work/site/public"
  /usr/bin/time -v target/release/dateline build --no-ingest --root "$work/site" >/dev/null 2>"$work/time.txt"
  wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
  echo "run $run: wall ${wall}  peak RSS $((rss / 1024)) MiB"
done

echo "dateline watch, one entry saved at a time, $edits edits"
target/release/examples/edit_bench --dateline target/release/dateline --root "$work/site" --edits "$edits"
