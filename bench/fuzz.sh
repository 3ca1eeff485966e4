#!/usr/bin/env bash
# Fuzzes dateline with cargo-fuzz (libFuzzer), one target after another, for a set time each.
#   bash bench/fuzz.sh                         # all five targets, 60 s each (what CI runs)
#   bash bench/fuzz.sh --seconds 1800 dates    # longer, chosen targets
#   FUZZ_TOOLCHAIN=stable bash bench/fuzz.sh   # force the stable fallback below
# Targets (fuzz/fuzz_targets/): front_matter, ingest_text, ingest_html, dates, build_site.
# Fails on any crash (panic, arithmetic overflow, input slower than 10 s, over 2 GiB of memory)
# and prints the file that reproduces it (`cargo fuzz run --sanitizer none TARGET FILE` replays
# it). A crash found becomes a test in tests/integration/fuzz_regressions.rs, and its file stays
# in fuzz/corpus/TARGET/ as crash-<what>.
#
# Toolchain: `cargo +nightly fuzz` when rustup lists a nightly toolchain; otherwise cargo-fuzz on
# stable with RUSTC_BOOTSTRAP=1, which lets stable accept the `-Z` flags cargo-fuzz passes for a
# sanitizer. FUZZ_TOOLCHAIN=nightly|stable overrides the choice. cargo-fuzz itself is installed
# when missing (`cargo install cargo-fuzz --locked`).
#
# Sanitizer: none (FUZZ_SANITIZER=address to change it). dateline has no `unsafe` code, so
# AddressSanitizer would only watch its dependencies; what this fuzzing looks for (panics,
# overflow, hangs, memory blow-ups) is caught without it: the targets are built with debug
# assertions and overflow checks, and libFuzzer's -timeout and -rss_limit_mb turn a hang or a
# blow-up into a failure. On a 2-core machine ASan made the build take 5 to 10 min rather than
# 3 and the inputs run about four times slower; without it the CI run (five targets at 60 s
# plus the build) stays within 8 minutes. With no sanitizer cargo-fuzz passes no `-Z`
# flag at all, so the stable fallback works even without RUSTC_BOOTSTRAP; it is set anyway so
# that FUZZ_SANITIZER=address works on stable too.
#
# Dictionaries of the formats' tokens (field names, month names, zones) are in fuzz/dict/.
# Corpus: seeds are read from fuzz/corpus/TARGET/ (made by fuzz/seed.sh from articles/,
# content/entries/ and tests/fixtures/); what a run discovers goes to fuzz/work/TARGET/ (ignored
# by git) and is reused by the next run on this machine. Crash files go to fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(front_matter ingest_text ingest_html dates build_site)
seconds=60
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    -*) echo "usage: bench/fuzz.sh [--seconds N] [TARGET...]" >&2; exit 2 ;;
    *) targets+=("$1") ;;
  esac
  shift
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  if [[ " ${all_targets[*]} " != *" $t "* ]]; then
    echo "unknown target \`$t\`; the targets are: ${all_targets[*]}" >&2
    exit 2
  fi
done
case "$seconds" in ''|*[!0-9]*) echo "--seconds takes a whole number" >&2; exit 2 ;; esac

# Longest input libFuzzer makes: room for the seeds (articles are ~4 KiB, pages ~5 KiB).
max_len() {
  case "$1" in
    dates) echo 4096 ;;
    front_matter|build_site) echo 8192 ;;
    ingest_text|ingest_html) echo 32768 ;;
  esac
}

toolchain="${FUZZ_TOOLCHAIN:-}"
if [ -z "$toolchain" ]; then
  if command -v rustup >/dev/null 2>&1 && rustup toolchain list | grep -q '^nightly'; then
    toolchain=nightly
  else
    toolchain=stable
  fi
fi
case "$toolchain" in
  nightly) ;;
  stable) export RUSTC_BOOTSTRAP=1 ;;
  *) echo "FUZZ_TOOLCHAIN must be nightly or stable" >&2; exit 2 ;;
esac
cargo=(cargo)
if command -v rustup >/dev/null 2>&1; then
  cargo=(cargo "+$toolchain")
fi
sanitizer="${FUZZ_SANITIZER:-none}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

# The fuzz crate has its own target folder (git-ignored), one per toolchain and sanitizer so
# switching does not rebuild everything; CARGO_TARGET_DIR would move it.
unset CARGO_TARGET_DIR
build=(--sanitizer "$sanitizer" --target-dir "$PWD/fuzz/target/$toolchain-$sanitizer")
echo "cargo-fuzz $(cargo fuzz --version | awk '{print $NF}'), $("${cargo[@]}" --version), sanitizer $sanitizer"
start=$(date +%s)
"${cargo[@]}" fuzz build "${build[@]}"
echo "build: $(($(date +%s) - start)) s"

summary=()
failed=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/work/$t" "fuzz/artifacts/$t"
  log="fuzz/work/$t.log"
  echo "== $t: ${seconds} s"
  dict=()
  [ -f "fuzz/dict/$t.dict" ] && dict=(-dict="fuzz/dict/$t.dict")
  status=0
  began=$(date +%s)
  ("${cargo[@]}" fuzz run "${build[@]}" "$t" "fuzz/work/$t" "fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 "${dict[@]}") >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  # libFuzzer's own count, or the wall clock when it stopped at a crash.
  took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  took=${took:-$(($(date +%s) - began))}
  corpus=$(find "fuzz/work/$t" -type f | wc -l)
  seeds=$(find "fuzz/corpus/$t" -type f | wc -l)
  line="$t: ${runs:-?} runs in $took s, corpus $corpus files (+ $seeds seeds)"
  if [ "$status" -ne 0 ]; then
    failed=1
    line="$line: FAILED (exit $status)"
    echo "$line"
    grep -a -E -m 20 -A 12 "panicked|ERROR: libFuzzer|SUMMARY" "$log" | head -40 || true
    grep -a -o 'Test unit written to .*' "$log" | sed 's/Test unit written to /crash file: /' |
      grep -E '/(crash|timeout|oom|leak)-' || echo "(no crash file; full log: $log)"
  else
    echo "$line"
  fi
  summary+=("$line")
done

echo
echo "== fuzzing summary ($toolchain, sanitizer $sanitizer, $seconds s per target)"
printf '%s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
  echo "fuzzing found crashes: replay one with \`cargo fuzz run --sanitizer $sanitizer TARGET FILE\`" >&2
  exit 1
fi
echo "no crashes"
