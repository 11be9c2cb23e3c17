#!/usr/bin/env python3
"""Prints scripts/bench.sh's summary: a markdown table of every case against its peer and
the targets of issue #10.

usage: scripts/bench-report.py RESULTS.json OUT_DIR ARTICLES CHARS LOAD_BEFORE LOAD_AFTER
"""

import glob
import json
import os
import re
import subprocess
import sys

res_path, out, articles, chars = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
load_before, load_after = sys.argv[5], sys.argv[6]
res = json.load(open(res_path))


def get(name, key):
    r = res.get(name)
    if not r or r.get("failed"):
        return None
    return r.get(key)


def output_of(case):
    """The file a case wrote: anpham's in its folder, the peers' by name."""
    kind, what = case.split("-", 1)
    if kind == "anpham":
        found = sorted(glob.glob(os.path.join(out, what, "*.pdf")) +
                       glob.glob(os.path.join(out, what, "*.epub")))
        return found[0] if found else None
    ext = "pdf" if what.endswith("pdf") else "epub"
    path = os.path.join(out, "%s-%s.%s" % (kind, what.rsplit("-", 1)[0], ext))
    return path if os.path.exists(path) else None


def pages(path):
    if not path or not path.endswith(".pdf"):
        return None
    try:
        info = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    except OSError:
        return None
    m = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return int(m.group(1)) if m else None


def size(path):
    return os.path.getsize(path) if path and os.path.exists(path) else None


def fmt_t(t, c=None):
    """Wall time, then CPU time and CPU/wall: under load, CPU time is the steadier one."""
    if t is None:
        return "–"
    return "%.3f s" % t if c is None else "%.3f s (CPU %.2f s, %.2f)" % (t, c, c / t if t else 0)


def fmt_m(kb):
    return "–" if kb is None else "%.0f MB" % (kb / 1024)


def fmt_b(b):
    return "–" if b is None else "%.1f MB" % (b / 1e6) if b >= 1e6 else "%.0f kB" % (b / 1e3)


n4 = articles * 4
cases = [
    ("one article → EPUB", "anpham-one-epub", "pandoc-one-epub"),
    ("one article → PDF +3 A5", "anpham-one-pdf", "typst-one-pdf"),
    ("%d-article bulletin → EPUB" % articles, "anpham-real-epub", "pandoc-real-epub"),
    ("%d-article bulletin → PDF +3 A5" % articles, "anpham-real-pdf", "typst-real-pdf"),
    ("%d-article bulletin → EPUB" % n4, "anpham-real4-epub", None),
    ("%d-article bulletin → PDF +3 A5" % n4, "anpham-real4-pdf", None),
    ("%s-character article → PDF +3 A5" % format(chars, ","), "anpham-long-pdf", "typst-long-pdf"),
    ("%d articles, 4000×3000 photos → EPUB" % articles, "anpham-camera-epub", "pandoc-camera-epub"),
    ("%d articles, 4000×3000 photos → PDF +3 A5" % articles, "anpham-camera-pdf", "typst-camera-pdf"),
    ("96 real articles (corpus), 3 photos each → PDF +3 A5", "anpham-corpus-pdf", "typst-corpus-pdf"),
]
print()
print("load average: %s before, %s after (1, 5, 15 min)" % (load_before, load_after))
print()
print("| case | anpham time (CPU, CPU/wall) | anpham peak RSS | peer time (CPU, CPU/wall) | peer peak RSS "
      "| time anpham/peer | CPU anpham/peer | memory anpham/peer | pages anpham / peer "
      "| pages/s anpham / peer | bytes anpham / peer |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for label, ours, peer in cases:
    if ours not in res:
        continue
    t, c, m = get(ours, "wall"), get(ours, "cpu"), get(ours, "rss_kb")
    pt, pc, pm = (get(peer, "wall"), get(peer, "cpu"), get(peer, "rss_kb")) if peer else (None,) * 3
    po, pp = output_of(ours), (output_of(peer) if peer else None)
    pa, pb = pages(po), pages(pp)
    peer_name = peer.split("-")[0] + " " if peer and peer in res else ""
    row = [
        label,
        fmt_t(t, c),
        fmt_m(m),
        (peer_name + fmt_t(pt, pc)) if pt else "–",
        fmt_m(pm),
        "%.2f" % (t / pt) if t and pt else "–",
        "%.2f" % (c / pc) if c and pc else "–",
        "%.2f" % (m / pm) if m and pm else "–",
        "%s / %s" % (pa or "–", pb or "–") if pa or pb else "–",
        "%s / %s" % ("%.0f" % (pa / t) if pa and t else "–", "%.0f" % (pb / pt) if pb and pt else "–")
        if pa or pb else "–",
        "%s / %s" % (fmt_b(size(po)), fmt_b(size(pp))),
    ]
    print("| " + " | ".join(row) + " |")
print()


def check(label, ok):
    print("  %s  %s" % ("n/a " if ok is None else "PASS" if ok else "MISS", label))


t, m, c = get("anpham-real-pdf", "wall"), get("anpham-real-pdf", "rss_kb"), get("anpham-real-pdf", "cpu")
tt, tm = get("typst-real-pdf", "wall"), get("typst-real-pdf", "rss_kb")
e, pe = get("anpham-real-epub", "wall"), get("pandoc-real-epub", "wall")
t4, m4 = get("anpham-real4-pdf", "wall"), get("anpham-real4-pdf", "rss_kb")
pa, pt_ = pages(output_of("anpham-real-pdf")), pages(output_of("typst-real-pdf"))
lt, lm = get("anpham-long-pdf", "wall"), get("anpham-long-pdf", "rss_kb")
print("targets (issue #10):")
check("bulletin PDF in at most 0.5 x typst's time (%s vs %s)" % (fmt_t(t), fmt_t(tt)),
      None if not (t and tt) else t <= tt / 2)
check("bulletin PDF with at most 0.5 x typst's peak memory (%s vs %s)" % (fmt_m(m), fmt_m(tm)),
      None if not (m and tm) else m <= tm / 2)
check("bulletin PDF CPU/wall at least 1.6 (%s)" % ("%.2f" % (c / t) if c and t else "–"),
      None if not (c and t) else c / t >= 1.6)
check("bulletin EPUB in at most 0.05 x pandoc's time (%s vs %s: %s)" % (
    fmt_t(e), fmt_t(pe), "%.3f" % (e / pe) if e and pe else "–"),
    None if not (e and pe) else e <= pe * 0.05)
check("4 x the articles in at most 4.3 x the time (%s)" % ("%.2f x" % (t4 / t) if t4 and t else "–"),
      None if not (t4 and t) else t4 <= 4.3 * t)
check("4 x the articles under 300 MB (%s)" % fmt_m(m4), None if m4 is None else m4 < 300 * 1024)
check("bulletin pages at most 1.15 x typst's (%s / %s)" % (pa or "–", pt_ or "–"),
      None if not (pa and pt_) else pa <= 1.15 * pt_)
check("%s-character article to PDF in under 2 s (%s)" % (format(chars, ","), fmt_t(lt)),
      None if lt is None else lt < 2)
ct, cm = get("anpham-corpus-pdf", "wall"), get("anpham-corpus-pdf", "rss_kb")
ctt, ctm = get("typst-corpus-pdf", "wall"), get("typst-corpus-pdf", "rss_kb")
cpa, cpt = pages(output_of("anpham-corpus-pdf")), pages(output_of("typst-corpus-pdf"))
if ct is not None or ctt is not None:
    print("targets (issue #22, the real-article bulletin):")
    check("pages at most 1.10 x typst's (%s / %s)" % (cpa or "–", cpt or "–"),
          None if not (cpa and cpt) else cpa <= 1.10 * cpt)
    check("time at most 0.2 x typst's (%s vs %s)" % (fmt_t(ct), fmt_t(ctt)),
          None if not (ct and ctt) else ct <= 0.2 * ctt)
    check("peak memory at most 0.2 x typst's (%s vs %s)" % (fmt_m(cm), fmt_m(ctm)),
          None if not (cm and ctm) else cm <= 0.2 * ctm)
print("\ntime: median wall-clock seconds over the rounds; CPU/wall: median user + system time "
      "over wall time; peak RSS: median maximum resident set size")
print("commands: %s/*.cmd" % os.path.dirname(res_path))
