#!/usr/bin/env python3
"""Braille evaluation on real Vietnamese news (kept outside the repository).

usage: scripts/eval-braille.py CORPUS_DIR OUT_DIR [N] [--anpham PATH] [--checkers DIR]
                               [--bulletin-of I,J,...] [--table FILE]

CORPUS_DIR holds plain-text articles, one per file: the first line is the title, the second the
lead, the rest the body (the format of the baomoi.com corpus in github.com/magizbox/scraper,
vn_news/data/*.txt). The first N files in name order (default 106) are written as Markdown
articles into OUT_DIR/articles/, built one by one with `anpham build A -o OUT --format brf,pef`
and a 6-article bulletin of the first six is built as well (with --bulletin-of, a second one of
the articles with those indexes, 0-based, e.g. the six with the most names with f, j, w, z).
For each BRF it reports:

  * check-braille's word_recall (back-translation with upstream liblouis's tables), when the
    checkers' folder is given;
  * own_recall: the share of the article's words, case kept, found in order in the braille read
    back with anpham's shipped grade 0 table (src/braille/tables/anpham-vi-g0.utb, which includes
    the system's vi-vn-g0.utb; --table another), tone placement normalised ("hoá" = "hóa"). The
    whole file is read back as one text, as tests/braille.rs does: a sign that holds to its end
    sign (a passage in capitals) holds across lines and pages;
  * the warnings anpham printed (characters written by a fallback).

Ends with one JSON line of totals. Nothing here is committed but this script.
"""
import ctypes
import difflib
import glob
import json
import os
import re
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
args = sys.argv[1:]
anpham = os.path.join(ROOT, "target", "debug", "anpham")
checkers = None
bulletins = []
table = os.path.join(ROOT, "src", "braille", "tables", "anpham-vi-g0.utb")
pos = []
while args:
    a = args.pop(0)
    if a == "--anpham":
        anpham = args.pop(0)
    elif a == "--checkers":
        checkers = args.pop(0)
    elif a == "--bulletin-of":
        bulletins.append([int(k) for k in args.pop(0).split(",")])
    elif a == "--table":
        table = os.path.abspath(args.pop(0))
    else:
        pos.append(a)
if len(pos) < 2:
    sys.stderr.write(__doc__)
    sys.exit(2)
corpus, out = pos[0], pos[1]
n = int(pos[2]) if len(pos) > 2 else 106
TABLE = table
TONES = "\u0300\u0301\u0303\u0309\u0323"


def words(s):
    out = []
    for w in re.split(r"[^\w\u0300-\u036f]+", unicodedata.normalize("NFC", s)):
        if not w:
            continue
        d = unicodedata.normalize("NFD", w)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES))
        out.append(base + "".join(c for c in d if c in TONES))
    return out


def back_translate(tables, text):
    """liblouis's back-translation of one text, through the library (lou_translate reads a
    line into a fixed buffer and drops what does not fit)."""
    lib = ctypes.CDLL("liblouis.so.20")
    if lib.lou_charSize() != 4:
        sys.exit("liblouis with 32-bit widechar needed (Debian's)")
    inp = (ctypes.c_uint32 * max(len(text), 1))(*[ord(c) for c in text])
    cap = len(text) * 4 + 64
    out = (ctypes.c_uint32 * cap)()
    inlen, outlen = ctypes.c_int(len(text)), ctypes.c_int(cap)
    if not lib.lou_backTranslateString(tables.encode(), inp, ctypes.byref(inlen), out,
                                       ctypes.byref(outlen), None, None, 0):
        sys.exit("liblouis cannot back-translate with " + tables)
    if inlen.value < len(text) or outlen.value >= cap:
        sys.exit("back-translation cut short")
    return "".join(chr(out[i]) for i in range(outlen.value))


def own_recall(brf, expected):
    with open(brf, encoding="ascii", errors="replace") as f:
        lines = [l.rstrip("\r\n\f").upper() for l in f]
    got, want = words(back_translate("en-us-brf.dis," + TABLE, " ".join(lines))), words(expected)
    # In order, as check-braille compares (difflib), but case kept.
    sm = difflib.SequenceMatcher(None, want, got, autojunk=False)
    found = sum(b.size for b in sm.get_matching_blocks())
    missed = []
    for tag, i1, i2, _, _ in sm.get_opcodes():
        if tag in ("replace", "delete"):
            missed.extend(want[i1:i2])
    return found, len(want), missed


def md_article(path, slug):
    text = open(path, encoding="utf-8").read().strip().split("\n")
    title = text[0].strip() or slug
    lead = text[1].strip() if len(text) > 1 else ""
    body = [l.strip() for l in text[2:] if l.strip()]
    q = lambda s: "'" + s.replace("'", "''") + "'"
    md = "---\ntitle: %s\n" % q(title)
    if lead:
        md += "lead: %s\n" % q(lead)
    md += "lang: vi\ndate: 2017-02-06\nslug: %s\n---\n\n" % slug
    md += "\n\n".join(body) + "\n"
    return md, "\n".join([title, lead] + body)


os.makedirs(os.path.join(out, "articles"), exist_ok=True)
files = sorted(glob.glob(os.path.join(corpus, "*.txt")))[:n]
rows, tot = [], {"articles": 0, "built": 0, "words": 0, "own_found": 0, "checker_found": 0,
                  "checker_words": 0, "warnings": 0, "below_99": 0}
for k, f in enumerate(files):
    slug = "a%03d" % k
    md, expected = md_article(f, slug)
    art = os.path.join(out, "articles", slug + ".md")
    open(art, "w", encoding="utf-8").write(md)
    exp = os.path.join(out, slug + ".txt")
    open(exp, "w", encoding="utf-8").write(expected)
    o = os.path.join(out, slug)
    p = subprocess.run([anpham, "build", art, "-o", o, "--format", "brf,pef", "-q"],
                       capture_output=True, text=True)
    tot["articles"] += 1
    warns = [l for l in p.stderr.splitlines() if l.startswith("warning:")]
    tot["warnings"] += len(warns)
    row = {"article": os.path.basename(f), "exit": p.returncode, "warnings": len(warns)}
    brf = os.path.join(o, slug + ".brf")
    if p.returncode == 0 and os.path.isfile(brf):
        tot["built"] += 1
        found, total, missed = own_recall(brf, expected)
        tot["words"] += total
        tot["own_found"] += found
        row["own_recall"] = round(found / max(total, 1), 4)
        row["own_missed"] = missed[:8]
        if found < 0.99 * total:
            tot["below_99"] += 1
        if checkers:
            c = subprocess.run([os.path.join(checkers, "check-braille"), brf, exp],
                               capture_output=True, text=True)
            v = json.loads(c.stdout.strip().splitlines()[-1])
            row["checker_recall"] = v.get("word_recall")
            tot["checker_words"] += v.get("expected_words", 0)
            tot["checker_found"] += v.get("expected_words", 0) - v.get("expected_words_missing", 0)
    else:
        row["error"] = p.stderr.strip()[-300:]
    rows.append(row)
    print(json.dumps(row, ensure_ascii=False))

# A 6-article bulletin of the first six, and those asked for.
for bi, chosen in enumerate([list(range(6))] + bulletins):
    if max(chosen) >= len(files):
        continue
    name = "bulletin" if bi == 0 else "bulletin%d" % bi
    arts = [os.path.join(out, "articles", "a%03d.md" % k) for k in chosen]
    man = os.path.join(out, name + ".toml")
    open(man, "w", encoding="utf-8").write(
        'title = "Bản tin"\ndate = "2017-02-06"\nlang = "vi"\narticles = [%s]\n'
        % ", ".join(json.dumps(a) for a in arts))
    o = os.path.join(out, name)
    p = subprocess.run([anpham, "build", man, "-o", o, "--format", "brf,pef", "-q"],
                       capture_output=True, text=True)
    expected = "\n".join(open(os.path.join(out, "a%03d.txt" % k), encoding="utf-8").read()
                         for k in chosen)
    exp = os.path.join(out, name + ".txt")
    open(exp, "w", encoding="utf-8").write(expected)
    b = {name + "_articles": chosen, name + "_exit": p.returncode}
    brf = os.path.join(o, name + ".brf")
    if os.path.isfile(brf):
        found, total, missed = own_recall(brf, expected)
        b.update({name + "_words": total, name + "_own_recall": round(found / total, 4),
                  name + "_own_missed": missed[:12]})
        if checkers:
            for f in (brf, os.path.join(o, name + ".pef")):
                c = subprocess.run([os.path.join(checkers, "check-braille"), f, exp],
                                   capture_output=True, text=True)
                v = json.loads(c.stdout.strip().splitlines()[-1])
                b[name + "_checker_recall_" + f.rsplit(".", 1)[1]] = v.get("word_recall")
    tot.update(b)
tot["own_recall"] = round(tot["own_found"] / max(tot["words"], 1), 4)
if tot["checker_words"]:
    tot["checker_recall"] = round(tot["checker_found"] / tot["checker_words"], 4)
print(json.dumps(tot, ensure_ascii=False))
