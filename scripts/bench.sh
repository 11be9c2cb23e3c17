#!/usr/bin/env bash
# Times the release `anpham` CLI on generated input and, where they are installed, typst
# (PDF/UA-1) and pandoc (EPUB) on the same content in the same run; prints the medians,
# the peak memory and the ratios against the targets of docs/performance.md.
#
# usage: scripts/bench.sh [--runs N] [--out DIR] [--no-build] [--no-peers] [--quick] [--profile]
#
#   --runs N     timed runs per case (default 5; one warm-up run is added)
#   --out DIR    where inputs and outputs go (default: TARGET_DIR/bench)
#   --no-build   use the release binary as it is (default: `cargo build --release` first)
#   --no-peers   time anpham only
#   --quick      10 copies in the bulletin, 150,000 characters in the long article
#   --profile    also profile anpham on the bulletin (PDF, EPUB) and the long article with
#                `perf record` (Debian linux-perf) and print where the time goes by stage
#                (scripts/perf-categories.py)
#
# Cases (scripts/gen-input.py makes the inputs from examples/bac-kan):
#   one-epub        the example article to EPUB
#   one-pdf         the example article to PDF at +3 (large), A5
#   bulletin-epub   a bulletin of 100 copies of the article to EPUB
#   bulletin-pdf    the same bulletin to PDF at +3, A5
#   bulletin-braille  the same bulletin to BRF + PEF (grade 0, 40x25; includes laying out the
#                   large-print PDF for its page map); tables from $ANPHAM_BRAILLE_TABLES,
#                   default ../shared/tools/liblouis-vi
#   long-pdf        one article of 1.5 million characters to PDF at +3, A5
#
# Peers: typst from `typst` on PATH, else the PyPI `typst` package in $TYPST_PYTHON,
# $CHECKERS_PREFIX/venv-typst (default /opt/bench) or python3; pandoc from $PANDOC,
# /opt/bench/bin/pandoc3, `pandoc` on PATH, or the PyPI `pypandoc-binary` package.
# Time: hyperfine's median (a loop over `date` when hyperfine is missing). Peak memory:
# GNU time's "Maximum resident set size" (%M), the median over the timed runs.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
runs=5
out=""
build=1
peers=1
copies=100
chars=1500000
profile=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-peers) peers=0; shift ;;
    --quick) copies=10; chars=150000; shift ;;
    --profile) profile=1; shift ;;
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
  cargo build --release --quiet --bin anpham
fi
bin="$target_dir/release/anpham"
[ -x "$bin" ] || { echo "bench.sh: $bin missing (cargo build --release)" >&2; exit 1; }
gnu_time=/usr/bin/time
if ! "$gnu_time" -f %M true >/dev/null 2>&1; then
  echo "bench.sh: GNU time is missing (Debian package \`time\`): no peak memory" >&2
  gnu_time=""
fi

mkdir -p "$out"
out="$(cd "$out" && pwd)"
case "$out$repo" in
  *[[:space:]]*) echo "bench.sh: paths with spaces are not supported ($out, $repo)" >&2; exit 2 ;;
esac
python3 "$here/gen-input.py" "$out/input" --copies "$copies" --chars "$chars"
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
    typst_cmd=(typst compile --pdf-standard ua-1 --font-path "$fonts" --root "$in")
    typst_version="$(typst --version)"
  else
    for py in "${TYPST_PYTHON:-}" "${CHECKERS_PREFIX:-/opt/bench}/venv-typst/bin/python3" python3; do
      [ -n "$py" ] && "$py" -c 'import typst' 2>/dev/null || continue
      # The same call as ../shared/tools/typst-py, with the fonts' folder added.
      cat >"$out/typst-compile.py" <<'EOF'
import sys, typst
src, dst, fonts, root = sys.argv[1:5]
typst.compile(src, output=dst, root=root, font_paths=[fonts], pdf_standards=["ua-1"])
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
  echo "$pandoc $1 -o $2 --resource-path=$in/article --css=$in/pandoc/large-print.css" \
    "--epub-embed-font=$fonts/BeVietnamPro-Regular.ttf --epub-embed-font=$fonts/BeVietnamPro-Bold.ttf" \
    "--split-level=1"
}

# --- timing ---------------------------------------------------------------------------------
# measure NAME COMMAND…: median wall time (s) into $res/NAME.time, median peak RSS (KB)
# into $res/NAME.rss, the command into $res/NAME.cmd.
measure() {
  local name="$1"; shift
  local cmd="$*"
  echo "$cmd" >"$res/$name.cmd"
  local rss="$res/$name.rss-all"
  : >"$rss"
  local wrapped="$cmd"
  [ -n "$gnu_time" ] && wrapped="$gnu_time -a -o $rss -f %M $cmd"
  # A failing command is reported, not timed.
  if ! $cmd >"$res/$name.log" 2>&1; then
    echo "bench.sh: $name failed: $cmd" >&2
    sed 's/^/  /' "$res/$name.log" >&2
    echo "failed" >"$res/$name.time"
    return 0
  fi
  : >"$rss"
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine -N --style none --warmup 1 --runs "$runs" --export-json "$res/$name.json" \
      "$wrapped" >/dev/null
    python3 - "$res/$name.json" "$res/$name" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
open(sys.argv[2] + ".time", "w").write("%.4f\n" % r["median"])
open(sys.argv[2] + ".cpu", "w").write("%.4f\n" % (r["user"] + r["system"]))
EOF
  else
    $wrapped >/dev/null 2>&1
    : >"$rss"
    local t=()
    for _ in $(seq "$runs"); do
      local a b
      a=$(date +%s%N); $wrapped >/dev/null 2>&1; b=$(date +%s%N)
      t+=("$(( (b - a) / 1000 ))")
    done
    printf '%s\n' "${t[@]}" | python3 -c 'import sys,statistics; print("%.4f" % (statistics.median(int(x) for x in sys.stdin) / 1e6))' >"$res/$name.time"
  fi
  if [ -s "$rss" ]; then
    python3 -c 'import sys,statistics; print(int(statistics.median(int(l) for l in open(sys.argv[1]) if l.strip())))' \
      "$rss" >"$res/$name.rss"
  fi
  printf '  %-22s %8s s  %8s s CPU  %6s MB\n' "$name" "$(cat "$res/$name.time")" \
    "$(cat "$res/$name.cpu" 2>/dev/null || echo -)" \
    "$( [ -s "$res/$name.rss" ] && echo $(( $(cat "$res/$name.rss") / 1024 )) || echo -)"
}

a() { echo "$bin build -q $*"; }
o="$out/out"
echo "anpham: $("$bin" --version), $(nproc) cores, $runs runs per case (median)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "inputs: $in"
measure anpham-one-epub "$(a "$in/article/bac-kan.md" -o "$o/one-epub" --format epub)"
measure anpham-one-pdf "$(a "$in/article/bac-kan.md" -o "$o/one-pdf" --format pdf --scale large --page-size a5)"
measure anpham-bulletin-epub "$(a "$in/$bulletin.toml" -o "$o/bulletin-epub" --format epub)"
measure anpham-bulletin-pdf "$(a "$in/$bulletin.toml" -o "$o/bulletin-pdf" --format pdf --scale large --page-size a5)"
export ANPHAM_BRAILLE_TABLES="${ANPHAM_BRAILLE_TABLES:-$repo/../shared/tools/liblouis-vi}"
measure anpham-bulletin-braille "$(a "$in/$bulletin.toml" -o "$o/bulletin-braille" --format brf,pef)"
measure anpham-long-pdf "$(a "$in/long/long.md" -o "$o/long-pdf" --format pdf --scale large --page-size a5)"
if [ "${#typst_cmd[@]}" -gt 0 ]; then
  echo "typst: $typst_version"
  measure typst-one-pdf "$(typst_args "$in/typst/one.typ" "$o/typst-one.pdf")"
  measure typst-bulletin-pdf "$(typst_args "$in/typst/$bulletin.typ" "$o/typst-bulletin.pdf")"
  measure typst-long-pdf "$(typst_args "$in/typst/long.typ" "$o/typst-long.pdf")"
elif [ "$peers" = 1 ]; then
  echo "typst: not installed (PyPI \`typst\`): no PDF ratios"
fi
if [ -n "${pandoc:-}" ]; then
  echo "pandoc: $("$pandoc" --version | head -n 1)"
  measure pandoc-one-epub "$(pandoc_args "$in/pandoc/one.md" "$o/pandoc-one.epub")"
  measure pandoc-bulletin-epub "$(pandoc_args "$in/pandoc/$bulletin.md" "$o/pandoc-bulletin.epub")"
elif [ "$peers" = 1 ]; then
  echo "pandoc: not installed (Debian \`pandoc\` or PyPI \`pypandoc-binary\`): no EPUB ratios"
fi

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- profile --------------------------------------------------------------------------------
if [ "$profile" = 1 ]; then
  if ! command -v perf >/dev/null 2>&1; then
    echo "bench.sh: perf is missing (Debian linux-perf): no profile" >&2
  else
    for case in bulletin-pdf long-pdf bulletin-epub; do
      echo
      echo "profile of anpham-$case ($(cat "$res/anpham-$case.cmd" | sed "s|$bin|anpham|"))"
      # cpu-clock: a software event, so it works where hardware counters do not (VMs).
      # shellcheck disable=SC2046
      perf record -q -F 1000 -e cpu-clock --call-graph dwarf,16384 -o "$res/$case.perf" -- \
        $(cat "$res/anpham-$case.cmd") >/dev/null 2>&1
      perf script -i "$res/$case.perf" -F comm,tid,time,ip,sym 2>/dev/null |
        python3 "$here/perf-categories.py"
    done
  fi
fi

# --- report ---------------------------------------------------------------------------------
python3 - "$res" "$o" "$copies" "$chars" <<'EOF'
import glob, os, re, subprocess, sys

res, out, copies, chars = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

def get(name, kind):
    p = os.path.join(res, "%s.%s" % (name, kind))
    if not os.path.exists(p):
        return None
    v = open(p).read().strip()
    try:
        return float(v)
    except ValueError:
        return None

def pages(path):
    try:
        info = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
        m = re.search(r"^Pages:\s+(\d+)", info, re.M)
        return m.group(1) if m else "?"
    except OSError:
        return "?"

def pdf_of(pattern):
    found = sorted(glob.glob(os.path.join(out, pattern)))
    return found[0] if found else None

cases = [
    ("one article → EPUB", "anpham-one-epub", "pandoc-one-epub", None),
    ("one article → PDF +3 A5", "anpham-one-pdf", "typst-one-pdf", ("one-pdf/*.pdf", "typst-one.pdf")),
    ("%d-article bulletin → EPUB" % copies, "anpham-bulletin-epub", "pandoc-bulletin-epub", None),
    ("%d-article bulletin → PDF +3 A5" % copies, "anpham-bulletin-pdf", "typst-bulletin-pdf",
     ("bulletin-pdf/*.pdf", "typst-bulletin.pdf")),
    ("%s-character article → PDF +3 A5" % format(chars, ","), "anpham-long-pdf", "typst-long-pdf",
     ("long-pdf/*.pdf", "typst-long.pdf")),
]
fmt_t = lambda t: "–" if t is None else "%.3f s" % t
fmt_m = lambda k: "–" if k is None else "%.0f MB" % (k / 1024)
print()
print("| case | anpham time (CPU) | anpham peak RSS | peer time (CPU) | peer peak RSS | time ratio (peer/anpham) | memory ratio | pages (anpham / typst) |")
print("|---|---|---|---|---|---|---|---|")
fmt_tc = lambda t, c: fmt_t(t) if c is None else "%s (%.2f)" % (fmt_t(t), c)
for label, ours, peer, pdfs in cases:
    t, m, pt, pm = get(ours, "time"), get(ours, "rss"), get(peer, "time"), get(peer, "rss")
    c, pc = get(ours, "cpu"), get(peer, "cpu")
    peer_name = peer.split("-")[0]
    ratio = "%.1f×" % (pt / t) if t and pt else "–"
    mratio = "%.1f×" % (pm / m) if m and pm else "–"
    pg = "–"
    if pdfs:
        a, b = pdf_of(pdfs[0]), os.path.join(out, pdfs[1])
        pg = "%s / %s" % (pages(a) if a else "?", pages(b) if os.path.exists(b) else "–")
    print("| %s | %s | %s | %s %s | %s | %s | %s | %s |" % (
        label, fmt_tc(t, c), fmt_m(m), peer_name, fmt_tc(pt, pc), fmt_m(pm), ratio, mratio, pg))
print()

def check(label, ok):
    if ok is None:
        print("  n/a   %s" % label)
    else:
        print("  %s  %s" % ("PASS" if ok else "MISS", label))

t, m = get("anpham-bulletin-pdf", "time"), get("anpham-bulletin-pdf", "rss")
tt, tm = get("typst-bulletin-pdf", "time"), get("typst-bulletin-pdf", "rss")
e, pe = get("anpham-bulletin-epub", "time"), get("pandoc-bulletin-epub", "time")
lt, lm = get("anpham-long-pdf", "time"), get("anpham-long-pdf", "rss")
print("targets:")
check("bulletin PDF in at most half of typst's time (%s vs %s)" % (fmt_t(t), fmt_t(tt)),
      None if not (t and tt) else t <= tt / 2)
check("bulletin PDF with at most half of typst's peak memory (%s vs %s)" % (fmt_m(m), fmt_m(tm)),
      None if not (m and tm) else m <= tm / 2)
check("bulletin EPUB at least 20 times faster than pandoc (%s)" % (
      "%.1f×" % (pe / e) if e and pe else "–"), None if not (e and pe) else pe / e >= 20)
check("%s-character article to PDF in under 2 s (%s)" % (format(chars, ","), fmt_t(lt)),
      None if lt is None else lt < 2)
check("%s-character article to PDF under 300 MB (%s)" % (format(chars, ","), fmt_m(lm)),
      None if lm is None else lm < 300 * 1024)
print("\ntime: median wall-clock seconds; CPU: mean user + system seconds per run (hyperfine)")
print("commands: %s/*.cmd" % res)
EOF
