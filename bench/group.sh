#!/usr/bin/env bash
# Grouping alone at 10,000 and 100,000 generated entries: time, peak memory and their ratio.
#   bash bench/group.sh           # 10k and 100k
#   bash bench/group.sh --quick   # 1k and 10k, a smoke run for CI
set -euo pipefail
cd "$(dirname "$0")/.."
small=10000 large=100000
[ "${1:-}" = "--quick" ] && small=1000 large=10000
cargo build --release --quiet --example group_bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in "$small" "$large"; do
  /usr/bin/time -v target/release/examples/group_bench "$n" >"$work/out-$n.txt" 2>"$work/time-$n.txt"
  rss=$(grep 'Maximum resident set size' "$work/time-$n.txt" | awk '{print $NF}')
  echo "$(cat "$work/out-$n.txt"); peak RSS $((rss / 1024)) MiB"
done
t_small=$(sed -E 's/.*grouping ([0-9.]+) s.*/\1/' "$work/out-$small.txt")
t_large=$(sed -E 's/.*grouping ([0-9.]+) s.*/\1/' "$work/out-$large.txt")
awk -v a="$t_small" -v b="$t_large" -v n="$((large / small))" 'BEGIN { printf "grouping time ratio %.1fx for %dx the entries (linear: %d, quadratic: %d)\n", b / a, n, n, n * n }'
