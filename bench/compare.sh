#!/usr/bin/env bash
# dateline against Hugo (and Zola, when it is on PATH) and against `cp -r` of dateline's own
# output (the floor: only writing the files), on the same generated entries. See BENCHMARKS.md.
#   bash bench/compare.sh           # N = 1,000 and 10,000; ingest, grouping, one-entry edits
#   bash bench/compare.sh --large   # also N = 100,000, and grouping at 100,000
#   bash bench/compare.sh --quick   # N = 200, one run each, small extras: a smoke run for CI
# Installs hugo, hyperfine and GNU time with apt-get when they are missing. Builds are cold:
# every timed run writes into a fresh output folder.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
large=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --large) large=1 ;;
    *) echo "usage: bench/compare.sh [--quick] [--large]" >&2; exit 2 ;;
  esac
  shift
done
sizes=(1000 10000)
runs=5
warmup=1
ingest_sizes=(1000 10000)
group_sizes=(10000)
watch_entries=10000
edits=9
if [ "$large" = 1 ]; then
  sizes+=(100000)
  group_sizes+=(100000)
fi
if [ "$quick" = 1 ]; then
  sizes=(200)
  runs=1
  warmup=0
  ingest_sizes=(100)
  group_sizes=(1000)
  watch_entries=200
  edits=3
fi

# Tools: Debian packages, installed when missing (apt-get update only if the install fails).
install() {
  local package=$1
  echo "installing $package (apt-get install -y $package)"
  if ! apt-get install -y -qq "$package" >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq "$package" >/dev/null
  fi
}
command -v hugo >/dev/null 2>&1 || install hugo
command -v hyperfine >/dev/null 2>&1 || install hyperfine
[ -x /usr/bin/time ] || install time
command -v python3 >/dev/null 2>&1 || install python3
zola=0
if command -v zola >/dev/null 2>&1; then
  zola=1
else
  echo "zola is not on PATH: skipping Zola (the Zola site is still generated, not built)"
fi

target="${CARGO_TARGET_DIR:-target}/release"
cargo build --release --quiet --bin dateline --example corpus --example group_bench --example edit_bench
dateline="$target/dateline"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results="$work/results.tsv"
extras="$work/extras.tsv"
: >"$results"
: >"$extras"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
echo "versions: $("$dateline" --version), $(hugo version | cut -d' ' -f1-2), $(hyperfine --version)$([ "$zola" = 1 ] && echo ", $(zola --version)")"

# Seconds from GNU time's "h:mm:ss" or "m:ss.ss".
wall_seconds() {
  grep 'Elapsed (wall clock)' "$1" | awk '{print $NF}' | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }'
}
peak_mib() {
  grep 'Maximum resident set size' "$1" | awk '{printf "%.0f", $NF / 1024}'
}

# One more cold run of a tool under /usr/bin/time -v, for its peak memory and its output (page
# count); anything it prints on stderr (Hugo's warnings, say) is shown.
#   reference NAME OUT COMMAND...
reference() {
  local name=$1 out=$2
  shift 2
  rm -rf "$out"
  if ! /usr/bin/time -v -o "$work/time-$name.txt" "$@" >/dev/null 2>"$work/err-$name.txt"; then
    echo "$name failed:" >&2
    cat "$work/err-$name.txt" >&2
    exit 1
  fi
  if [ -s "$work/err-$name.txt" ]; then
    echo "$name printed on stderr:"
    sed 's/^/  /' "$work/err-$name.txt" | head -20
  fi
  pages=$(find "$out" -name '*.html' | wc -l)
  files=$(find "$out" -type f | wc -l)
  echo "$name: $pages HTML pages, $files files, $(du -sh "$out" | cut -f1), peak RSS $(peak_mib "$work/time-$name.txt") MiB"
  printf '%s\t%s\t%s\t%s\n' "$name" "$(peak_mib "$work/time-$name.txt")" "$pages" "$files" >>"$work/ref-$n.tsv"
}

for n in "${sizes[@]}"; do
  site="$work/n$n"
  out="$work/out"
  echo
  echo "== N = $n entries"
  others=(--hugo "$site/hugo")
  [ "$zola" = 1 ] && others+=(--zola "$site/zola")
  "$target/examples/corpus" --entries "$n" --out "$site/dateline" "${others[@]}" >/dev/null
  : >"$work/ref-$n.tsv"
  reference dateline "$site/public" "$dateline" build --no-ingest --root "$site/dateline" --output "$site/public"
  reference hugo "$out" hugo --quiet --source "$site/hugo" --destination "$out"
  [ "$zola" = 1 ] && reference zola "$out" zola --root "$site/zola" build --output-dir "$out" --force
  reference "cp -r" "$out" cp -r "$site/public" "$out"

  commands=(-n dateline "$dateline build --no-ingest --root $site/dateline --output $out")
  commands+=(-n hugo "hugo --quiet --source $site/hugo --destination $out")
  [ "$zola" = 1 ] && commands+=(-n zola "zola --root $site/zola build --output-dir $out --force")
  commands+=(-n "cp -r" "cp -r $site/public $out")
  hyperfine -N --style basic --warmup "$warmup" --runs "$runs" --prepare "rm -rf $out" \
    --export-json "$work/times-$n.json" "${commands[@]}"
  python3 - "$work/times-$n.json" "$work/ref-$n.tsv" "$n" >>"$results" <<'PY'
import json, sys
times = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
for line in open(sys.argv[2]):
    name, rss, pages, files = line.rstrip("\n").split("\t")
    r = times[name]
    print("\t".join([sys.argv[3], name, f"{r['median']:.3f}", f"{r['min']:.3f}", f"{r['max']:.3f}", rss, pages, files]))
PY
  rm -rf "$out"
  # Keep the 10k (or the --quick) dateline site for the watch benchmark; drop the rest.
  if [ "$n" != "$watch_entries" ]; then rm -rf "$site"; fi
done

echo
echo "== ingest: N raw text scrapes (examples/corpus --articles N), one cold run each"
for n in "${ingest_sizes[@]}"; do
  "$target/examples/corpus" --articles "$n" --out "$work/ingest-$n" >/dev/null
  /usr/bin/time -v -o "$work/time-ingest.txt" "$dateline" ingest --root "$work/ingest-$n" >"$work/ingest.txt"
  s=$(wall_seconds "$work/time-ingest.txt")
  echo "$n articles: $(head -n 1 "$work/ingest.txt")"
  printf 'ingest\t%s\t%s\t%s\t%s\n' "$n" "$s" "$(peak_mib "$work/time-ingest.txt")" \
    "$(awk -v n="$n" -v s="$s" 'BEGIN { printf "%.0f articles/s", n / s }')" >>"$extras"
  rm -rf "$work/ingest-$n"
done

echo
echo "== grouping alone (examples/group_bench: entries in memory, no files)"
for n in "${group_sizes[@]}"; do
  /usr/bin/time -v -o "$work/time-group.txt" "$target/examples/group_bench" "$n" >"$work/group.txt"
  cat "$work/group.txt"
  s=$(sed -E 's/.*grouping ([0-9.]+) s.*/\1/' "$work/group.txt")
  printf 'grouping\t%s\t%s\t%s\t%s\n' "$n" "$s" "$(peak_mib "$work/time-group.txt")" \
    "$(sed -E 's/^[0-9]+ entries -> ([0-9]+) events.*/\1 events/' "$work/group.txt")" >>"$extras"
done

echo
echo "== one-entry edit under dateline watch, $watch_entries entries, $edits edits (examples/edit_bench)"
"$target/examples/edit_bench" --dateline "$dateline" --root "$work/n$watch_entries/dateline" --edits "$edits" | tee "$work/watch.txt"
median=$(sed -nE 's/^median of [0-9]+ edits: ([0-9.]+) ms.*/\1/p' "$work/watch.txt")
rss=$(sed -nE 's/^watcher peak RSS: ([0-9]+) MiB/\1/p' "$work/watch.txt")
printf 'watch edit\t%s\t%s\t%s\t%s\n' "$watch_entries" "$(awk -v m="$median" 'BEGIN { printf "%.3f", m / 1000 }')" "${rss:-?}" "median save → page on disk, $edits edits" >>"$extras"

echo
echo "== results ($(nproc) cores; medians of $runs cold run(s); peak RSS from one more run under /usr/bin/time -v)"
python3 - "$results" "$extras" <<'PY'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
print("| N | tool | median s | min–max s | peak RSS MiB | HTML pages | files |")
print("|---:|---|---:|---:|---:|---:|---:|")
for n, name, median, lo, hi, rss, pages, files in rows:
    print(f"| {int(n):,} | {name} | {float(median):.2f} | {float(lo):.2f}–{float(hi):.2f} | {rss} | {int(pages):,} | {int(files):,} |")
print()
print("| N | dateline / hugo | dateline / zola | dateline / cp -r |")
print("|---:|---:|---:|---:|")
for n in dict.fromkeys(r[0] for r in rows):
    t = {r[1]: float(r[2]) for r in rows if r[0] == n}
    ratio = lambda other: f"{t['dateline'] / t[other]:.2f}" if other in t else "not run"
    print(f"| {int(n):,} | {ratio('hugo')} | {ratio('zola')} | {ratio('cp -r')} |")
print()
print("| measurement | N | seconds | peak RSS MiB | note |")
print("|---|---:|---:|---:|---|")
for what, n, s, rss, note in (line.rstrip("\n").split("\t") for line in open(sys.argv[2])):
    print(f"| {what} | {int(n):,} | {float(s):.3f} | {rss} | {note} |")
PY
