#!/usr/bin/env bash
# Reads anpham's PDFs of a publication page by page, as Firefox's PDF viewer hands them to
# a screen reader (tests/pdfjs/read-pages.mjs, judged by tests/reader.rs in the `main` test binary), at 18 pt A5 and
# 24 pt A4, and prints for each: pages, captions on their image's page, captions read
# inside a sentence, captions off their image's page (issue #22).
#
# usage: scripts/eval-reader.sh ANPHAM_BINARY INPUT OUT_DIR [EXTRA BUILD FLAGS...]
#
#   ANPHAM_BINARY  any anpham (e.g. a build of an older commit, for "before" figures)
#   INPUT          an article, a folder or a bulletin manifest (e.g. the corpus bulletin of
#                  scripts/gen-input.py --corpus DIR)
# Needs node and tests/pdfjs/node_modules (`(cd tests/pdfjs && npm ci --omit=optional)`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
bin="$1"; input="$2"; out="$3"; shift 3
mkdir -p "$out"
for geometry in "large a5" "extra-large a4"; do
  set -- $geometry "$@"
  scale="$1"; size="$2"; shift 2
  dir="$out/$scale-$size"
  rm -rf "$dir"; mkdir -p "$dir"
  "$bin" build -q "$input" -o "$dir" --format pdf --scale "$scale" --page-size "$size" "$@" 2>"$dir/warnings.txt" || {
    echo "eval-reader.sh: $bin failed on $input" >&2; cat "$dir/warnings.txt" >&2; exit 1; }
  pdf="$(ls "$dir"/*.pdf | head -n 1)"
  result="$(cd "$repo" && ANPHAM_READER_PDF="$pdf" ANPHAM_READER_INPUT="$input" \
    cargo test -q --test main reader::judge_a_pdf_given_on_the_command_line -- --ignored --exact --nocapture 2>/dev/null |
    tee "$dir/reader.txt" | grep '^{"pages"')"
  warned="$(grep -c 'caption does not fit' "$dir/warnings.txt" || true)"
  echo "$scale $size: $result, run-on warnings: $warned"
done
