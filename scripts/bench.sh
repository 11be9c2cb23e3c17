#!/usr/bin/env bash
# Times the release `anpham` CLI on generated input and, where they are installed, typst
# (PDF/UA-1) and pandoc (EPUB) on the same content in the same run, in alternation; prints
# a markdown table of medians (time, CPU/wall, peak memory, pages, pages/s, bytes) and the
# targets of issue #10 (docs/performance.md).
#
# usage: scripts/bench.sh [--runs N] [--out DIR] [--no-build] [--no-peers] [--quick]
#                         [--camera] [--profile] [--corpus DIR] [--only REGEX]
#
#   --runs N     timed rounds (default 3; a warm-up run of every case comes first). In each
#                round every case runs once, anpham and its peers alternating.
#   --out DIR    where inputs and outputs go (default: TARGET_DIR/bench)
#   --no-build   use the release binaries as they are (default: `cargo build --release` of
#                the CLI and of the gen-photos example first)
#   --no-peers   time anpham only
#   --quick      a smoke test: 10 realistic articles (40 for linearity), 150,000
#                characters in the long article, no camera photos, 1 round
#   --camera     add the camera-photo bulletin of issue #11 (300 photos of 4000 x 3000,
#                ~2.7 MB each, made once, 0.8 GB): about 5 minutes more a round
#   --corpus DIR add the real-article bulletin of issue #22: the first 96 usable articles of
#                DIR (the underthesea news corpus's .txt, or .json; DIR stays outside the
#                repository), 3 different photos each, to PDF +3 A5, against typst
#   --only REGEX time only the cases whose name matches (grep -E), e.g. 'corpus'
#   --profile    also profile anpham on the realistic bulletin (PDF, EPUB) and the long
#                article with `perf record` (Debian linux-perf) and print where the time goes
#                by stage (scripts/perf-categories.py)
#
# Cases (scripts/gen-input.py makes the inputs; photos by scripts/gen-photos.rs):
#   one-epub / one-pdf     the example article (examples/bac-kan) to EPUB / PDF +3 A5
#   real-epub / real-pdf   a bulletin of 100 different articles, 3 different photos each
#                          (1600 x 1067 JPEG, ~170 KB), to EPUB / PDF +3 A5
#   real4-epub / real4-pdf the same with 4 times the articles (linearity)
#   long-pdf               one article of 1.5 million characters to PDF +3 A5
#   camera-epub / camera-pdf  the 100-article bulletin with 4000 x 3000 photos (issue #11)
# Peers: typst for each PDF but real4 (same content and anpham's page geometry), pandoc for
# each EPUB but real4 (same content as Markdown).
#
# typst from `typst` on PATH, else the PyPI `typst` package in $TYPST_PYTHON,
# $CHECKERS_PREFIX/venv-typst (default /opt/bench) or python3; pandoc from $PANDOC,
# /opt/bench/bin/pandoc3, `pandoc` on PATH, or the PyPI `pypandoc-binary` package.
# Time: the median wall-clock time of the rounds; CPU: the median user + system time; peak
# memory: the median of the kernel's maximum resident set size (scripts/bench-run.py).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
runs=3
out=""
build=1
peers=1
copies=100
chars=1500000
articles=100
camera=0
profile=0
corpus=""
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-peers) peers=0; shift ;;
    --quick) copies=10; chars=150000; articles=10; camera=0; runs=1; shift ;;
    --camera) camera=1; shift ;;
    --no-camera) camera=0; shift ;;
    --profile) profile=1; shift ;;
    --corpus) corpus="$(cd "$2" && pwd)"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

cd "$repo"
target_dir="$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])' 2>/dev/null ||
  echo "${CARGO_TARGET_DIR:-$repo/target}")"
out="${out:-$target_dir/bench}"
if [ "$build" = 1 ]; then
  cargo build --release --quiet --bin anpham --example gen-photos
fi
photo_tool="$target_dir/release/examples/gen-photos"
bin="$target_dir/release/anpham"
[ -x "$bin" ] || { echo "bench.sh: $bin missing (cargo build --release)" >&2; exit 1; }

mkdir -p "$out"
out="$(cd "$out" && pwd)"
case "$out$repo" in
  *[[:space:]]*) echo "bench.sh: paths with spaces are not supported ($out, $repo)" >&2; exit 2 ;;
esac
sizes=(--photo-size 1600x1067)
[ "$camera" = 1 ] && sizes+=(--photo-size 4000x3000)
[ -x "$photo_tool" ] || { echo "bench.sh: $photo_tool missing (cargo build --release --example gen-photos)" >&2; exit 1; }
corpus_args=()
[ -n "$corpus" ] && corpus_args=(--corpus "$corpus" --corpus-articles 96)
python3 "$here/gen-input.py" "$out/input" --copies "$copies" --chars "$chars" \
  --articles "$articles" --scale-up 4 "${sizes[@]}" --photo-tool "$photo_tool" "${corpus_args[@]}"
in="$out/input"
bulletin="bulletin-$copies"
res="$out/results"
rm -rf "$res" "$out/out"
mkdir -p "$res" "$out/out"
fonts="$repo/fonts/be-vietnam-pro"

# --- peers --------------------------------------------------------------------------------
typst_cmd=()
if [ "$peers" = 1 ]; then
  if command -v typst >/dev/null 2>&1; then
    # The standards anpham claims by default (PDF/A-2a + PDF/UA-1); typst 0.15 writes both.
    typst_cmd=(typst compile --pdf-standard a-2a,ua-1 --font-path "$fonts" --root "$in")
    typst_version="$(typst --version)"
  else
    for py in "${TYPST_PYTHON:-}" "${CHECKERS_PREFIX:-/opt/bench}/venv-typst/bin/python3" python3; do
      [ -n "$py" ] && "$py" -c 'import typst' 2>/dev/null || continue
      # The same call as ../shared/tools/typst-py, with the fonts' folder added.
      cat >"$out/typst-compile.py" <<'EOF'
import sys, typst
src, dst, fonts, root = sys.argv[1:5]
typst.compile(src, output=dst, root=root, font_paths=[fonts], pdf_standards=["a-2a", "ua-1"])
EOF
      typst_cmd=("$py" "$out/typst-compile.py")
      typst_version="typst $("$py" -c 'from importlib.metadata import version; print(version("typst"))') (PyPI)"
      break
    done
  fi
  pandoc=""
  for p in "${PANDOC:-}" /opt/bench/bin/pandoc3 pandoc; do
    [ -n "$p" ] && command -v "$p" >/dev/null 2>&1 && { pandoc="$(command -v "$p")"; break; }
  done
  if [ -z "$pandoc" ]; then
    pandoc="$(python3 -c 'import pypandoc; print(pypandoc.get_pandoc_path())' 2>/dev/null || true)"
  fi
fi

typst_args() { # SRC.typ DST.pdf
  if [ "${typst_cmd[0]}" = typst ]; then
    echo "${typst_cmd[*]} $1 $2"
  else
    echo "${typst_cmd[*]} $1 $2 $fonts $in"
  fi
}
pandoc_args() { # SRC.md DST.epub
  echo "$pandoc $1 -o $2 --resource-path=$in/article:$in --css=$in/pandoc/large-print.css" \
    "--epub-embed-font=$fonts/BeVietnamPro-Regular.ttf --epub-embed-font=$fonts/BeVietnamPro-Bold.ttf" \
    "--split-level=1"
}

# --- cases --------------------------------------------------------------------------------
a() { echo "$bin build -q $*"; }
o="$out/out"
real="real-$articles-1600x1067"
real4="real-$((articles * 4))-1600x1067"
cam="real-$articles-4000x3000"
pdf="--format pdf --scale large --page-size a5"
cases="$res/cases.tsv"
: >"$cases"
add() { printf '%s\t%s\n' "$1" "$2" >>"$cases"; }
have_typst() { [ "${#typst_cmd[@]}" -gt 0 ]; }
have_pandoc() { [ -n "${pandoc:-}" ]; }
add anpham-one-epub "$(a "$in/article/bac-kan.md" -o "$o/one-epub" --format epub)"
have_pandoc && add pandoc-one-epub "$(pandoc_args "$in/pandoc/one.md" "$o/pandoc-one.epub")"
add anpham-one-pdf "$(a "$in/article/bac-kan.md" -o "$o/one-pdf" $pdf)"
have_typst && add typst-one-pdf "$(typst_args "$in/typst/one.typ" "$o/typst-one.pdf")"
add anpham-real-epub "$(a "$in/$real.toml" -o "$o/real-epub" --format epub)"
have_pandoc && add pandoc-real-epub "$(pandoc_args "$in/pandoc/$real.md" "$o/pandoc-real.epub")"
add anpham-real-pdf "$(a "$in/$real.toml" -o "$o/real-pdf" $pdf)"
have_typst && add typst-real-pdf "$(typst_args "$in/typst/$real.typ" "$o/typst-real.pdf")"
add anpham-real4-epub "$(a "$in/$real4.toml" -o "$o/real4-epub" --format epub)"
add anpham-real4-pdf "$(a "$in/$real4.toml" -o "$o/real4-pdf" $pdf)"
add anpham-long-pdf "$(a "$in/long/long.md" -o "$o/long-pdf" $pdf)"
have_typst && add typst-long-pdf "$(typst_args "$in/typst/long.typ" "$o/typst-long.pdf")"
if [ "$camera" = 1 ]; then
  add anpham-camera-epub "$(a "$in/$cam.toml" -o "$o/camera-epub" --format epub)"
  have_pandoc && add pandoc-camera-epub "$(pandoc_args "$in/pandoc/$cam.md" "$o/pandoc-camera.epub")"
  add anpham-camera-pdf "$(a "$in/$cam.toml" -o "$o/camera-pdf" $pdf)"
  have_typst && add typst-camera-pdf "$(typst_args "$in/typst/$cam.typ" "$o/typst-camera.pdf")"
fi
if [ -n "$corpus" ]; then
  add anpham-corpus-pdf "$(a "$in/corpus-96-1600x1067.toml" -o "$o/corpus-pdf" $pdf)"
  have_typst && add typst-corpus-pdf "$(typst_args "$in/typst/corpus-96-1600x1067.typ" "$o/typst-corpus.pdf")"
fi
if [ -n "$only" ]; then
  grep -E "^[^[:space:]]*($only)" "$cases" >"$cases.only" || { echo "bench.sh: no case matches --only $only" >&2; exit 2; }
  mv "$cases.only" "$cases"
fi
cut -f1,2 "$cases" | while IFS=$'\t' read -r name cmd; do echo "$cmd" >"$res/$name.cmd"; done

echo "anpham: $("$bin" --version), $(nproc) cores, $runs rounds (median), warm-up first"
have_typst && echo "typst: $typst_version"
have_typst || { [ "$peers" = 1 ] && echo "typst: not installed (PyPI \`typst\`): no PDF ratios"; }
have_pandoc && echo "pandoc: $("$pandoc" --version | head -n 1)"
have_pandoc || { [ "$peers" = 1 ] && echo "pandoc: not installed: no EPUB ratios"; }
echo "inputs: $in"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "load average before: $load_before"
python3 "$here/bench-run.py" "$cases" "$res/results.json" --runs "$runs"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "load average after: $load_after"

# --- profile --------------------------------------------------------------------------------
if [ "$profile" = 1 ]; then
  if ! command -v perf >/dev/null 2>&1; then
    echo "bench.sh: perf is missing (Debian linux-perf): no profile" >&2
  else
    for case in real-pdf real-epub long-pdf; do
      echo
      echo "profile of anpham-$case ($(cat "$res/anpham-$case.cmd" | sed "s|$bin|anpham|"))"
      # cpu-clock: a software event, so it works where hardware counters do not (VMs).
      # shellcheck disable=SC2046
      perf record -q -F 1000 -e cpu-clock --call-graph dwarf,16384 -o "$res/$case.perf" -- \
        $(cat "$res/anpham-$case.cmd") >/dev/null 2>&1
      perf script -i "$res/$case.perf" -F comm,tid,time,ip,sym 2>/dev/null |
        python3 "$here/perf-categories.py" --timeline 100
    done
  fi
fi

# --- report ---------------------------------------------------------------------------------
python3 "$here/bench-report.py" "$res/results.json" "$o" "$articles" "$chars" "$load_before" "$load_after"
