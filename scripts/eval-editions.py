#!/usr/bin/env python3
"""Every edition of every real article (issue #30): builds each article of a corpus folder with
all five editions and runs each edition's checker.

usage: scripts/eval-editions.py CORPUS_DIR OUT_DIR [--articles N] [--anpham PATH]
           [--checkers DIR] [--photo-tool CMD] [--photo-size WxH] [--jobs J]
           [--epub-every K] [--no-epub-check] [--only I,J,...] [--table-only]
           [--formats LIST] [--check-cache DIR] [--cols C --rows R]

CORPUS_DIR holds real articles in the formats `scripts/gen-input.py --corpus` reads (`.txt` of
the underthesea / baomoi news corpus: title line, lead line, one paragraph a line; or `.json`).
Each file gen-input can read becomes, exactly as gen-input makes it (its own functions are
used), a JSON article OUT_DIR/articles/cNNNN/cNNNN.json with three photo-like JPEGs
(--photo-size, default 1600x1067, written by the `gen-photos` example named by --photo-tool;
photos already there are kept) and figures with alt text and captions. Unlike gen-input, no
article is left out for being short: every readable file counts.

For each article, with the release CLI (--anpham, default target/release/anpham):

  1. `anpham check ART --repair`                                      (exit status, warnings)
  2. `anpham build ART -o OUT_DIR/out/cNNNN --format epub,pdf,brf,pef,talking --scale large
     --repair`                                                         (exit status, warnings,
     which files were written, wall time)
  3. the checkers of /work/shared/tools (or --checkers DIR), each file that was written:
       EPUB, talking book  check-epub FILE       pass: 0 EPUBCheck errors and warnings, and when
                                                 Ace ran 0 critical/serious violations; the
                                                 talking book also 0 broken pars, 0 clips past
                                                 their audio's end, 0 silent audio files, and
                                                 the Media Overlays could be read
       large-print PDF     check-pdf FILE EXP    pass: tagged, structure tree, PDF/UA part 1,
                                                 title shown, fonts embedded with ToUnicode,
                                                 figures with alt, qpdf --check ok, 0 pdfua
                                                 errors/warnings, 0 Vietnamese letters missing,
                                                 every expected word in order
                                                 (text_contained_short_tokens)
       BRF, PEF            check-braille --cols C --rows R FILE EXP
                                                 pass: BRF 0 bad characters, 0 bare line ends,
                                                 within C x R, one form feed a page; PEF schema
                                                 valid, metadata present, within C x R, 0 cells
                                                 outside the braille block; both word recall
                                                 >= 0.99 (as tests/braille.rs)
     EXP (OUT_DIR/articles/cNNNN/expected.txt) is the reading text: title, lead, headings and
     paragraphs in order (captions, running heads and page numbers are insertions the checkers
     allow; a figure may float).
  Steps 1-3 run for every article first (--jobs J at once, default 2), except the EPUB checker
  (EPUBCheck + DAISY Ace, about a minute per file on a loaded 2-core machine): it runs in a
  second pass, on both EPUBs of every K-th article (--epub-every K, default 1: all; article
  numbers 1, 1+K, 1+2K …), so that a run stopped early still has every article built and
  checked by the other checkers; --no-epub-check skips the pass. --formats builds other
  formats than the five. With --check-cache DIR a checker's result is kept in DIR under the
  sha256 of the command and the file's bytes, and reused for a byte-identical file (the builds
  are deterministic), e.g. when a run is repeated with a rebuilt CLI.

Warnings: every stderr line that starts with `warning` (any case, after optional white
space; `warning:`, `warning[kind]:`, `Warning -` …) and the indented lines that follow it,
which belong to it. Its kind is `warning[KIND]` when the CLI prints one; otherwise the message
with its place stripped (everything up to the last `FILE:…: ` prefix that names a file, a
line:column, `blocks[3].text`, `character 12` …) and with quoted text, numbers and code points
replaced by `…`, cut to its first 12 words. So the counts are of warning *messages* of one
wording; the table lists each kind with its count and one example.

Results go to OUT_DIR/results.jsonl (one line an article; an article already there with the
same settings is not run again, so a run can be resumed) and OUT_DIR/table.md. Only the
script is committed; corpus, articles and outputs stay outside the repository.
"""
import argparse
import collections
import concurrent.futures
import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
EDITIONS = ("epub", "pdf", "brf", "pef", "talking")
LOCK = threading.Lock()


def load_gen_input():
    spec = importlib.util.spec_from_file_location("gen_input", os.path.join(HERE, "gen-input.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--articles", type=int, default=0, help="at most N articles (0: all)")
    ap.add_argument("--anpham", default=os.path.join(ROOT, "target", "release", "anpham"))
    ap.add_argument("--checkers", default=os.environ.get("ANPHAM_CHECKERS_DIR", "/work/shared/tools"))
    ap.add_argument("--photo-tool", default=None)
    ap.add_argument("--photo-size", default="1600x1067")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--epub-every", type=int, default=1)
    ap.add_argument("--no-epub-check", action="store_true")
    ap.add_argument("--only", default=None, help="comma-separated article numbers")
    ap.add_argument("--formats", default=",".join(EDITIONS))
    ap.add_argument("--check-cache", default=None)
    ap.add_argument("--table-only", action="store_true")
    ap.add_argument("--cols", type=int, default=40)
    ap.add_argument("--rows", type=int, default=25)
    return ap.parse_args()


# --- articles ----------------------------------------------------------------------------------


def write_articles(g, args):
    """Writes the articles (and the list of their photos); returns [(number, source, dir)]."""
    w, h = (int(v) for v in args.photo_size.split("x"))
    names = sorted(
        f for f in os.listdir(args.corpus) if f.endswith((".txt", ".json")) and not f.startswith(".")
    )
    arts, photos, unreadable = [], [], []
    for f in names:
        if args.articles and len(arts) >= args.articles:
            break
        read = g.read_corpus_file(os.path.join(args.corpus, f))
        if not read:
            unreadable.append(f)
            continue
        i = len(arts) + 1
        meta, blocks, ph = g.corpus_article(i, *read)
        d = os.path.join(args.out, "articles", "c%04d" % i)
        g.write(os.path.join(d, "c%04d.json" % i), g.article_json(meta, blocks))
        reading = [meta["title"]] + ([meta["lead"]] if meta.get("lead") else [])
        reading += [b[-1] for b in blocks if b[0] in ("p", "h")]
        g.write(os.path.join(d, "expected.txt"), "\n".join(reading) + "\n")
        for name, seed in ph:
            photos.append("%s %d %d %d" % (os.path.join(d, "img", name), w, h, seed))
        arts.append((i, f, d))
    g.make_photos(photos, os.path.join(args.out, "photos.txt"), args.photo_tool)
    return arts, unreadable


# --- warnings ----------------------------------------------------------------------------------

WARN_START = re.compile(r"^\s*warning\b", re.I)
KIND_TAG = re.compile(r"^\s*warning\s*\[([^\]]+)\]", re.I)
# A place: `a.json:3:7: `, `a.md: blocks[3].text, character 12: `, `c.json: article 1, lead,
# character 25: `, `c.json: blocks[1]: ` … (a file name, then comma-separated place parts).
PLACE_PART = r"(?:\d+(?::\d+)*|article \d+|character \d+|[A-Za-z_]\w*(?:\[\d+\])?(?:\.\w+(?:\[\d+\])?)*)"
PLACE = re.compile(
    r"^[^\s:]+\.(?:json|toml|md|html?|txt)(?::\d+(?::\d+)?)?:\s*"
    r"(?:%s(?:,\s*%s)*:\s+)?" % (PLACE_PART, PLACE_PART)
)


def warning_blocks(stderr):
    """The warnings of a run: each `warning…` line with its indented continuation lines."""
    out, cur = [], None
    for line in stderr.splitlines():
        if WARN_START.match(line):
            cur = [line.strip()]
            out.append(cur)
        elif cur is not None and line[:1] in (" ", "\t") and line.strip():
            cur.append(line.strip())
        else:
            cur = None
    return [" ".join(b) for b in out]


def warning_kind(text):
    m = KIND_TAG.match(text)
    if m:
        return "warning[%s]" % m.group(1)
    msg = re.sub(r"^\s*warning\s*[:\-–]?\s*", "", text, flags=re.I)
    msg = PLACE.sub("", msg)
    msg = re.split(r"\s+hint:", msg)[0]
    msg = re.sub(r"`[^`]*`|“[^”]*”|\"[^\"]*\"|‘[^’]*’|«[^»]*»", "…", msg)
    msg = re.sub(r"U\+[0-9A-Fa-f]{4,6}", "U+…", msg)
    msg = re.sub(r"\d+(?:[.,]\d+)*", "N", msg)
    return " ".join(msg.split()[:12])


# --- checkers ----------------------------------------------------------------------------------


def run_checker(args, cmd):
    """The checker's JSON line. With --check-cache DIR, the result for a file of the same bytes
    (sha256) and the same command is taken from DIR/HASH.json when there, and stored there."""
    cache = None
    if args.check_cache:
        h = hashlib.sha256(" ".join(c for c in cmd if not os.path.isfile(c)).encode())
        for c in cmd[1:]:
            if os.path.isfile(c):
                with open(c, "rb") as f:
                    h.update(hashlib.sha256(f.read()).digest())
        cache = os.path.join(args.check_cache, h.hexdigest() + ".json")
        if os.path.exists(cache):
            with open(cache, encoding="utf-8") as f:
                v = json.load(f)
            v["_cached"] = True
            return v
    v = run_checker_now(args, cmd)
    if cache and "checker_error" not in v:
        os.makedirs(args.check_cache, exist_ok=True)
        with open(cache, "w", encoding="utf-8") as f:
            json.dump(v, f, ensure_ascii=False)
    return v


def run_checker_now(args, cmd):
    t = time.time()
    p = subprocess.run([os.path.join(args.checkers, cmd[0])] + cmd[1:], capture_output=True, text=True)
    lines = p.stdout.strip().splitlines()
    try:
        v = json.loads(lines[-1])
    except (IndexError, ValueError):
        v = {"checker_error": (p.stdout + p.stderr).strip()[-400:], "exit": p.returncode}
    v["_seconds"] = round(time.time() - t, 1)
    return v


def epub_failures(v, talking):
    f = []
    if "checker_error" in v:
        return ["checker did not run: " + v["checker_error"][-200:]]
    if v.get("epubcheck_errors") != 0:
        f.append("epubcheck_errors=%s" % v.get("epubcheck_errors"))
    if v.get("epubcheck_warnings") != 0:
        f.append("epubcheck_warnings=%s" % v.get("epubcheck_warnings"))
    if v.get("ace_ran") and v.get("ace_critical_serious") != 0:
        f.append("ace_critical_serious=%s %s" % (v.get("ace_critical_serious"), v.get("ace_by_impact")))
    if talking:
        if "mo_error" in v or "mo_pars" not in v:
            f.append("media overlays unreadable: %s" % v.get("mo_error"))
        for k in ("mo_pars_broken", "mo_clips_past_end_or_empty", "mo_silent_audio"):
            if v.get(k, 0) != 0:
                f.append("%s=%s" % (k, v.get(k)))
    return f


def pdf_failures(v):
    f = []
    if "open_error" in v or "checker_error" in v:
        return ["unreadable: %s" % (v.get("open_error") or v.get("checker_error"))]
    for k in ("tagged", "struct_tree_root", "display_doc_title", "fonts_all_embedded", "qpdf_check_ok",
              "text_contained_short_tokens"):
        if v.get(k) is not True:
            f.append("%s=%s" % (k, v.get(k)))
    if v.get("pdfua_part") != "1":
        f.append("pdfua_part=%s" % v.get("pdfua_part"))
    for k in ("fonts_without_tounicode", "figures_without_alt", "vi_letters_missing"):
        if v.get(k) != 0:
            f.append("%s=%s" % (k, v.get(k)))
    pf = v.get("pdfua_findings")
    if isinstance(pf, dict) and (pf.get("error", 0) or pf.get("warning", 0)):
        f.append("pdfua_findings=%s %s" % (pf, v.get("pdfua_rules_failed")))
    if f and v.get("text_contained_short_tokens") is not True:
        f.append("expected_words_missing=%s" % v.get("expected_words_missing"))
    return f


def braille_failures(v, pef, cols, rows):
    f = []
    if "checker_error" in v:
        return ["checker did not run: " + v["checker_error"][-200:]]
    if pef:
        if v.get("pef_schema_valid") is not True:
            f.append("pef_schema_valid=%s %s" % (v.get("pef_schema_valid"), v.get("pef_errors")))
        meta = v.get("pef_meta") or {}
        bad = [k for k in ("format", "identifier", "title", "language", "format_is_pef") if meta.get(k) is not True]
        if bad:
            f.append("pef_meta missing %s" % bad)
        for k in ("rows_over_cols", "pages_over_rows", "bad_cells"):
            if v.get(k) != 0:
                f.append("%s=%s" % (k, v.get(k)))
        if v.get("cols") != cols or v.get("rows") != rows:
            f.append("geometry %sx%s" % (v.get("cols"), v.get("rows")))
    else:
        for k in ("bad_chars", "bare_line_ends"):
            if v.get(k) != 0:
                f.append("%s=%s" % (k, v.get(k)))
        for k in ("over_width", "over_length"):
            if v.get(k) is not False:
                f.append("%s=%s" % (k, v.get(k)))
        if v.get("form_feeds") != v.get("pages"):
            f.append("form_feeds=%s pages=%s" % (v.get("form_feeds"), v.get("pages")))
    r = v.get("word_recall")
    if not isinstance(r, (int, float)) or r < 0.99:
        f.append("word_recall=%s (%s of %s words missing)" % (r, v.get("expected_words_missing"),
                                                               v.get("expected_words")))
    return f


# --- one article -------------------------------------------------------------------------------


def edition_files(outdir, slug):
    """The file of each edition in the output folder, by what the CLI writes (names tolerant)."""
    files = os.listdir(outdir) if os.path.isdir(outdir) else []
    found = {}
    for f in sorted(files):
        if f.startswith(".") or f.endswith((".tmp", ".part")):
            continue
        low = f.lower()
        if low.endswith(".epub"):
            found["talking" if ("talking" in low or "audio" in low) else "epub"] = f
        elif low.endswith(".pdf"):
            found.setdefault("pdf", f)
            if "large" in low:
                found["pdf"] = f
        elif low.endswith(".brf"):
            found["brf"] = f
        elif low.endswith(".pef"):
            found["pef"] = f
    return found


def run_article(args, i, src, d):
    slug = "c%04d" % i
    art = os.path.join(d, slug + ".json")
    exp = os.path.join(d, "expected.txt")
    outdir = os.path.join(args.out, "out", slug)
    row = {"article": i, "source": src, "chars": len(open(exp, encoding="utf-8").read())}
    p = subprocess.run([args.anpham, "check", art, "--repair"], capture_output=True, text=True)
    row["check_exit"] = p.returncode
    row["check_warnings"] = warning_blocks(p.stderr)
    if p.returncode != 0:
        row["check_error"] = p.stderr.strip()[-600:]
    if os.path.isdir(outdir):
        for f in os.listdir(outdir):
            os.remove(os.path.join(outdir, f))
    t = time.time()
    p = subprocess.run([args.anpham, "build", art, "-o", outdir, "--format", args.formats,
                        "--scale", "large", "--repair"], capture_output=True, text=True)
    row["build_seconds"] = round(time.time() - t, 2)
    row["build_exit"] = p.returncode
    row["build_warnings"] = warning_blocks(p.stderr)
    if p.returncode != 0:
        row["build_error"] = p.stderr.strip()[-1500:]
    files = edition_files(outdir, slug)
    row["files"] = files
    res = {}
    for ed in EDITIONS:
        if ed not in args.formats.split(","):
            continue
        if ed not in files:
            res[ed] = {"built": False}
            continue
        path = os.path.join(outdir, files[ed])
        if ed in ("epub", "talking"):
            res[ed] = {"built": True, "checked": False, "path": path}
            continue
        elif ed == "pdf":
            v = run_checker(args, ["check-pdf", path, exp])
            fails = pdf_failures(v)
        else:
            v = run_checker(args, ["check-braille", "--cols", str(args.cols), "--rows", str(args.rows), path, exp])
            fails = braille_failures(v, ed == "pef", args.cols, args.rows)
        res[ed] = {"built": True, "checked": True, "passed": not fails, "failures": fails, "checker": v}
    row["editions"] = res
    return row


def check_epubs(args, row):
    """The second pass: the EPUB checker on an article's EPUB and talking book."""
    for ed in ("epub", "talking"):
        x = row["editions"].get(ed)
        if not x or not x["built"] or x.get("checked") or not os.path.isfile(x.get("path", "")):
            continue
        v = run_checker(args, ["check-epub", x["path"]])
        fails = epub_failures(v, ed == "talking")
        with LOCK:
            x.update({"checked": True, "passed": not fails, "failures": fails, "checker": v})
    return row


def status(r):
    st = " ".join("%s:%s" % (ed, "-" if not x["built"] else ("b" if not x.get("checked") else
                                                          ("ok" if x["passed"] else "FAIL")))
                  for ed, x in r["editions"].items())
    return "c%04d check=%d build=%d %.1fs %s warnings=%d" % (
        r["article"], r["check_exit"], r["build_exit"], r["build_seconds"], st, len(r["build_warnings"]))


# --- table -------------------------------------------------------------------------------------


def table(rows, unreadable, args):
    n = len(rows)
    lines = []
    checked = [r for r in rows if r["check_exit"] == 0]
    lines.append("| articles | passed `check` | build exit 0 | build seconds (median, max) |")
    lines.append("|---|---|---|---|")
    secs = sorted(r["build_seconds"] for r in rows) or [0]
    lines.append("| %d (%d files unreadable) | %d | %d | %.2f, %.2f |" % (
        n, len(unreadable), len(checked), sum(1 for r in rows if r["build_exit"] == 0),
        secs[len(secs) // 2], secs[-1]))
    lines.append("")
    lines.append("| edition | built (of articles passing `check`) | checked | passed its checker | failed |")
    lines.append("|---|---|---|---|---|")
    for ed in [e for e in EDITIONS if e in args.formats.split(",")]:
        e = [r["editions"][ed] for r in checked]
        built = sum(1 for x in e if x["built"])
        chk = [x for x in e if x.get("checked")]
        passed = sum(1 for x in chk if x["passed"])
        lines.append("| %s | %d / %d | %d | %d | %d |" % (ed, built, len(checked), len(chk), passed, len(chk) - passed))
    lines.append("")
    # Warnings by kind, from the build (check's warnings listed separately).
    for which in ("build_warnings", "check_warnings"):
        kinds = collections.Counter()
        example, arts = {}, collections.defaultdict(set)
        for r in rows:
            for w in r[which]:
                k = warning_kind(w)
                kinds[k] += 1
                example.setdefault(k, w)
                arts[k].add(r["article"])
        lines.append("%s: %d in %d articles" % (which.replace("_", " "), sum(kinds.values()),
                                                len({a for s in arts.values() for a in s})))
        lines.append("")
        if kinds:
            lines.append("| count | articles | kind | example |")
            lines.append("|---|---|---|---|")
            for k, c in kinds.most_common():
                lines.append("| %d | %d | %s | %s |" % (c, len(arts[k]), k.replace("|", "\\|"),
                                                       example[k][:220].replace("|", "\\|")))
            lines.append("")
    fails = []
    for r in rows:
        if r["check_exit"] != 0:
            fails.append("- c%04d (%s): check failed: %s" % (r["article"], r["source"], r.get("check_error", "")[-300:]))
            continue
        if r["build_exit"] != 0:
            fails.append("- c%04d (%s): build exit %d: %s" % (r["article"], r["source"], r["build_exit"],
                                                           r.get("build_error", "")[-300:]))
        for ed, x in r["editions"].items():
            if not x["built"]:
                fails.append("- c%04d (%s): %s not built" % (r["article"], r["source"], ed))
            elif x.get("checked") and not x["passed"]:
                fails.append("- c%04d (%s): %s: %s" % (r["article"], r["source"], ed, "; ".join(x["failures"])))
    lines.append("Failures: %d" % len(fails))
    lines.append("")
    lines.extend(fails)
    return "\n".join(lines) + "\n"


def main():
    args = parse_args()
    args.out = os.path.abspath(args.out)
    os.makedirs(args.out, exist_ok=True)
    g = load_gen_input()
    arts, unreadable = write_articles(g, args)
    settings = {"anpham": args.anpham, "formats": args.formats,
                "mtime": os.path.getmtime(args.anpham) if os.path.exists(args.anpham) else None}
    res_path = os.path.join(args.out, "results.jsonl")
    done = {}
    if os.path.exists(res_path):
        for line in open(res_path, encoding="utf-8"):
            r = json.loads(line)
            if r.get("settings") == settings:
                done[r["article"]] = r
    only = {int(k) for k in args.only.split(",")} if args.only else None
    mine = [(i, f, d) for i, f, d in arts if only is None or i in only]

    def save():
        with LOCK:
            with open(res_path + ".new", "w", encoding="utf-8") as out:
                for i in sorted(done):
                    out.write(json.dumps(done[i], ensure_ascii=False) + "\n")
            os.replace(res_path + ".new", res_path)

    # First pass: check, build, and the PDF and braille checkers, every article.
    todo = [(i, f, d) for i, f, d in mine if i not in done]
    if not args.table_only and todo:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as ex:
            futs = [ex.submit(run_article, args, i, f, d) for i, f, d in todo]
            for fu in concurrent.futures.as_completed(futs):
                r = fu.result()
                r["settings"] = settings
                done[r["article"]] = r
                save()
                print(status(r), flush=True)
    # Second pass: the EPUB checker (slow) on every K-th article's two EPUBs.
    sample = [done[i] for i, _, _ in mine if i in done and (i - 1) % args.epub_every == 0]
    if not args.table_only and not args.no_epub_check:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as ex:
            for r in ex.map(lambda r: check_epubs(args, r), sample):
                save()
                print(status(r), flush=True)
    rows = [done[i] for i, _, _ in arts if i in done and (only is None or i in only)]
    t = table(rows, unreadable, args)
    with open(os.path.join(args.out, "table.md"), "w", encoding="utf-8") as f:
        f.write(t)
    print(t)


if __name__ == "__main__":
    main()
