#!/usr/bin/env bash
# Rebuilds the seed corpus fuzz/corpus/<target>/ from the repository's real inputs: the example
# articles, entries and test fixtures. Run it after those change; files found by fuzzing
# (crash-*, named for the bug) are kept.
set -euo pipefail
cd "$(dirname "$0")/.."

seed() { # seed TARGET NAME < bytes
  mkdir -p "fuzz/corpus/$1"
  cat >"fuzz/corpus/$1/$2"
}
for target in front_matter ingest_text ingest_html dates build_site; do
  find "fuzz/corpus/$target" -type f ! -name 'crash-*' -delete 2>/dev/null || true
done

entries=(content/entries/*.md tests/fixtures/basic/content/entries/*.md)
for f in "${entries[@]}"; do
  name=$(echo "$f" | tr '/' '_')
  seed front_matter "$name" <"$f"
  seed build_site "$name" <"$f"
  # The same entry with YAML front matter, which no example uses yet.
  awk 'NR == 1 || (/^\+\+\+$/ && !done) { print "---"; if (NR > 1) done = 1; next }
       !done && /^\[/ { skip = 1 } !done && skip { next }
       !done { sub(/ = /, ": ") } { print }' "$f" | seed front_matter "yaml_$name"
done
for f in fuzz/corpus/front_matter/yaml_*; do cp "$f" fuzz/corpus/build_site/; done
for f in articles/*.txt; do
  name=$(echo "$f" | tr '/' '_')
  seed ingest_text "$name" <"$f"
  seed dates "$name" <"$f"
  # Short lines with digits: datelines, clocks, captions.
  grep -n '[0-9]' "$f" | awk -F: 'length($0) < 200' | while IFS=: read -r n line; do
    printf '%s\n' "$line" | seed dates "line_${name}_$n"
  done
done
for f in tests/fixtures/ingest-html/*.html; do
  seed ingest_html "$(echo "$f" | tr '/' '_')" <"$f"
done
# Entry dates exactly as editors and ingest write them.
grep -h '^\(date\|captured\) = ' "${entries[@]}" | sed 's/^[a-z]* = //; s/"//g' | sort -u |
  while read -r d; do printf '%s\n' "$d" | seed dates "entry_date_$(echo "$d" | tr -c '0-9A-Za-z' '_')"; done
for target in front_matter ingest_text ingest_html dates build_site; do
  echo "$target: $(find "fuzz/corpus/$target" -type f | wc -l) seeds"
done
