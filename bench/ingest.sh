#!/usr/bin/env bash
# Ingests N generated raw text scrapes and reports throughput and peak memory.
#   bash bench/ingest.sh            # N = 3,000
#   bash bench/ingest.sh --articles 20000
#   bash bench/ingest.sh --quick    # N = 100, a smoke run for CI
set -euo pipefail
cd "$(dirname "$0")/.."

articles=3000
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) articles=100 ;;
    --articles) articles="$2"; shift ;;
    *) echo "usage: bench/ingest.sh [--quick] [--articles N]" >&2; exit 2 ;;
  esac
  shift
done

cargo build --release --quiet --bin dateline --example corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/examples/corpus --articles "$articles" --out "$work/site" >/dev/null

/usr/bin/time -v target/release/dateline ingest --root "$work/site" >"$work/out.txt" 2>"$work/time.txt"
wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
seconds=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
head -n 1 "$work/out.txt"
echo "dateline ingest, $articles articles, $(nproc) cores: wall ${wall}, $(awk -v n="$articles" -v s="$seconds" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }') articles/s, peak RSS $((rss / 1024)) MiB"

/usr/bin/time -v target/release/dateline ingest --root "$work/site" >"$work/out.txt" 2>"$work/time.txt"
echo "re-run (nothing changed): wall $(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}'), $(head -n 1 "$work/out.txt")"
