#!/usr/bin/env python3
"""Generates the benchmark inputs of scripts/bench.sh from the bundled example article.

usage: scripts/gen-input.py OUT_DIR [--copies N] [--chars N] [--example PATH.md]

Writes, under OUT_DIR:

  article/bac-kan.md, article/img/*   one article: a copy of examples/bac-kan
  bulletin-100.toml                   a bulletin listing article/bac-kan.md N times (default 100)
  long/long.md                        one article of about --chars characters (default 1,500,000):
                                      the example's paragraphs repeated, a level-2 heading per copy
  typst/{one,bulletin-100,long}.typ   the same content for typst: A5, Be Vietnam Pro 18 pt,
                                      1.5 line pitch, figures with alt text and captions, running
                                      header and page numbers; paths relative to OUT_DIR (--root)
  pandoc/{one,bulletin-100,long}.md   the same content for pandoc (Markdown, figures with
  pandoc/large-print.css              fig-alt and captions) and a large-print style sheet

Only the standard library is used. The example's Markdown is read with a small parser that
knows what the example holds (YAML front matter of `key: value` lines, paragraphs, `#`
headings, and `![alt](src "caption")` figures); it is not a general Markdown reader.
"""

import argparse
import os
import re
import shutil
import sys

FIGURE = re.compile(r'^!\[(?P<alt>.*)\]\((?P<src>\S+)(?:\s+"(?P<caption>.*)")?\)$')
HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*)$")


def parse_article(path):
    """Returns (meta dict, blocks) where a block is ('p', text), ('h', level, text) or
    ('fig', alt, src, caption)."""
    text = open(path, encoding="utf-8").read()
    meta = {}
    body = text
    if text.startswith("---\n"):
        end = text.index("\n---\n", 4)
        for line in text[4:end].splitlines():
            if not line.strip() or ":" not in line:
                continue
            key, value = line.split(":", 1)
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] == "'":
                value = value[1:-1].replace("''", "'")
            elif len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            meta[key.strip()] = value
        body = text[end + 5 :]
    blocks = []
    for chunk in re.split(r"\n\s*\n", body):
        chunk = " ".join(chunk.split())
        if not chunk:
            continue
        m = FIGURE.match(chunk)
        if m:
            blocks.append(("fig", m["alt"], m["src"], m["caption"] or ""))
            continue
        m = HEADING.match(chunk)
        if m:
            blocks.append(("h", len(m["hashes"]), m["text"]))
            continue
        blocks.append(("p", chunk))
    return meta, blocks


def display_date(d):
    """10/11/2022, as anpham shows a Vietnamese date."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d or ""):
        return "%s/%s/%s" % (d[8:10], d[5:7], d[0:4])
    return d or ""


def byline(meta):
    parts = [x for x in (meta.get("author"), display_date(meta.get("date"))) if x]
    return " — ".join(parts)


def yaml_quote(s):
    return "'" + s.replace("'", "''") + "'"


def toml_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


# --- anpham inputs ------------------------------------------------------------------------


def long_blocks(meta, blocks, chars):
    """The example's paragraphs repeated, one level-2 heading per copy, until the article
    (title, lead, byline and body) reaches `chars` characters."""
    paragraphs = [b[1] for b in blocks if b[0] == "p"]
    total = len(meta.get("title", "")) + len(meta.get("lead", "")) + len(byline(meta))
    out = []
    n = 0
    while total < chars:
        n += 1
        heading = "Phần %d" % n
        out.append(("h", 2, heading))
        total += len(heading)
        for p in paragraphs:
            out.append(("p", p))
            total += len(p)
            if total >= chars:
                break
    return out, total


def article_markdown(meta, blocks):
    front = ["---"]
    for key in ("title", "lead", "author", "date", "lang", "slug"):
        if key in meta:
            value = meta[key]
            front.append("%s: %s" % (key, yaml_quote(value) if key in ("title", "lead") else value))
    front.append("---\n")
    out = ["\n".join(front)]
    for b in blocks:
        if b[0] == "p":
            out.append(b[1])
        elif b[0] == "h":
            out.append("#" * b[1] + " " + b[2])
        else:
            out.append('![%s](%s "%s")' % (b[1], b[2], b[3]))
    return "\n\n".join(out) + "\n"


# --- typst ---------------------------------------------------------------------------------

TYPST_SPECIAL = set('\\#*_$@<>[]`~/=+-:"\'')


def typst_text(s):
    """Plain text as typst markup: every markup character escaped, so that `-` `--` `'`
    and `"` stay as they are written (no smart quotes, no dashes made from hyphens)."""
    return "".join("\\" + c if c in TYPST_SPECIAL else c for c in s)


def short_title(s, limit=36):
    """The running header: the title cut at a word to fit one line, as anpham does."""
    if len(s) <= limit:
        return s
    return s[: s.rfind(" ", 0, limit)] + "…"


def typst_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


TYPST_PREAMBLE = """// Generated by scripts/gen-input.py: the anpham benchmark content for typst,
// styled as anpham's large-print (+3) PDF: 18 pt body, 1.5 line pitch, headings 1.3 and
// 1.15 em, 0.6 em between paragraphs, 14.4 pt running header, 18 pt page numbers.
#set document(title: {title}, author: {authors})
#set text(font: "Be Vietnam Pro", size: 18pt, lang: "vi", top-edge: "ascender", bottom-edge: "descender")
// Ascender + descender of Be Vietnam Pro is about 1.26 em: 0.24 em leading makes 1.5 em.
#set par(leading: 0.24em, spacing: 0.6em, justify: false)
#show heading: set block(above: 0.9em, below: 0.5em)
#show heading.where(level: 1): set text(size: 23.4pt)
#show heading.where(level: 2): set text(size: 20.7pt)
#set figure(numbering: none)
#set page(
  paper: "a5",
  margin: (inside: 31mm, outside: 25mm, y: 25mm),
  header: context if counter(page).get().first() > {front_pages} [
    #set text(size: 14.4pt)
    {header}
  ],
  footer: context [
    #set align(center)
    #counter(page).display()
  ],
)
"""


def typst_article(meta, blocks, img_prefix):
    out = []
    out.append("= " + typst_text(meta.get("title", "")))
    if byline(meta):
        out.append(typst_text(byline(meta)))
    if meta.get("lead"):
        out.append("*" + typst_text(meta["lead"]) + "*")
    for b in blocks:
        if b[0] == "p":
            out.append(typst_text(b[1]))
        elif b[0] == "h":
            out.append("=" * b[1] + " " + typst_text(b[2]))
        else:
            out.append(
                "#figure(image(%s, width: 100%%, alt: %s), caption: [%s])"
                % (typst_str(img_prefix + b[2]), typst_str(b[1]), typst_text(b[3]))
            )
    return "\n\n".join(out) + "\n"


def typst_document(title, authors, articles, bulletin=None):
    """articles: list of (meta, blocks, img_prefix)."""
    front = 1 if bulletin else 0
    out = [
        TYPST_PREAMBLE.replace("{title}", typst_str(title))
        .replace("{authors}", "(" + ", ".join(typst_str(a) for a in authors) + ",)")
        .replace("{front_pages}", str(front))
        .replace("{header}", typst_text(short_title(title)))
    ]
    if bulletin:
        out.append(
            "#text(size: 26pt, weight: \"bold\")[%s]\n\n%s\n\n%s\n\n#outline(depth: 1)\n"
            % (typst_text(title), typst_text(bulletin["description"]), typst_text(bulletin["meta"]))
        )
    for i, (meta, blocks, prefix) in enumerate(articles):
        if i > 0 or bulletin:
            out.append("#pagebreak()\n")
        out.append(typst_article(meta, blocks, prefix))
    return "\n".join(out)


# --- pandoc --------------------------------------------------------------------------------

PANDOC_CSS = """/* Generated by scripts/gen-input.py: large print, as anpham's EPUB at +3. */
@font-face { font-family: "Be Vietnam Pro"; font-weight: normal; font-style: normal; src: url("../fonts/BeVietnamPro-Regular.ttf"); }
@font-face { font-family: "Be Vietnam Pro"; font-weight: bold; font-style: normal; src: url("../fonts/BeVietnamPro-Bold.ttf"); }
body { font-family: "Be Vietnam Pro", sans-serif; font-size: 150%; line-height: 1.5; text-align: left; }
h1, h2 { line-height: 1.25; }
p { margin: 0 0 0.9em 0; }
figure { margin: 1em 0; }
img { max-width: 100%; height: auto; }
figcaption { font-size: 0.9em; }
.byline { font-size: 0.8em; }
.lead { font-weight: bold; }
"""


def md_escape(s):
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", s)


def pandoc_article(meta, blocks, img_prefix):
    out = ["# " + md_escape(meta.get("title", ""))]
    if byline(meta):
        out.append("::: byline\n" + md_escape(byline(meta)) + "\n:::")
    if meta.get("lead"):
        out.append("::: lead\n" + md_escape(meta["lead"]) + "\n:::")
    for b in blocks:
        if b[0] == "p":
            out.append(md_escape(b[1]))
        elif b[0] == "h":
            out.append("#" * b[1] + " " + md_escape(b[2]))
        else:
            alt = b[1].replace("\\", "\\\\").replace('"', '\\"')
            out.append(
                '![%s](%s){fig-alt="%s"}' % (md_escape(b[3]), img_prefix + b[2], alt)
            )
    return "\n\n".join(out) + "\n"


def pandoc_document(title, authors, articles, lang="vi"):
    head = ["---", "title: " + yaml_quote(title), "lang: " + lang]
    if authors:
        head.append("author:")
        head.extend("- " + yaml_quote(a) for a in authors)
    head.append("---\n")
    return "\n".join(head) + "\n" + "\n".join(pandoc_article(*a) for a in articles)


# --- main ------------------------------------------------------------------------------------


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--copies", type=int, default=100)
    ap.add_argument("--chars", type=int, default=1_500_000)
    ap.add_argument(
        "--example", default=os.path.join(here, "..", "examples", "bac-kan", "bac-kan.md")
    )
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    example = os.path.abspath(args.example)
    meta, blocks = parse_article(example)

    # One article: the example folder as it is.
    art_dir = os.path.join(out, "article")
    if os.path.isdir(art_dir):
        shutil.rmtree(art_dir)
    shutil.copytree(os.path.dirname(example), art_dir)
    art_name = os.path.basename(example)

    # The bulletin: one publication listing the same article N times.
    title = "Bản tin tuần (%d bài)" % args.copies
    description = "Bản tin thử nghiệm hiệu năng của anpham: một bài báo lặp lại %d lần." % args.copies
    publisher = "Cổng Thông tin điện tử tỉnh Bắc Kạn"
    date = "2022-11-14"
    bulletin_name = "bulletin-%d" % args.copies
    toml = [
        "# Generated by scripts/gen-input.py: the same article %d times." % args.copies,
        "title = " + toml_quote(title),
        "publisher = " + toml_quote(publisher),
        'date = "%s"' % date,
        'lang = "vi"',
        "description = " + toml_quote(description),
        "articles = [",
    ]
    toml += ['  "article/%s",' % art_name] * args.copies
    toml.append("]")
    write(os.path.join(out, bulletin_name + ".toml"), "\n".join(toml) + "\n")

    # The long article: paragraphs repeated, no figures.
    lblocks, total = long_blocks(meta, blocks, args.chars)
    lmeta = dict(meta)
    lmeta["title"] = "Bài dài: " + meta.get("title", "")
    lmeta["slug"] = "long"
    write(os.path.join(out, "long", "long.md"), article_markdown(lmeta, lblocks))

    authors = [meta["author"]] if meta.get("author") else []
    one = [(meta, blocks, "/article/")]
    many = one * args.copies
    longa = [(lmeta, lblocks, "/long/")]
    bulletin = {"description": description, "meta": publisher + " — " + display_date(date)}
    write(os.path.join(out, "typst", "one.typ"), typst_document(meta["title"], authors, one))
    write(
        os.path.join(out, "typst", bulletin_name + ".typ"),
        typst_document(title, authors, many, bulletin),
    )
    write(os.path.join(out, "typst", "long.typ"), typst_document(lmeta["title"], authors, longa))

    pone = [(meta, blocks, "")]
    write(os.path.join(out, "pandoc", "one.md"), pandoc_document(meta["title"], authors, pone))
    write(
        os.path.join(out, "pandoc", bulletin_name + ".md"),
        pandoc_document(title, authors, pone * args.copies),
    )
    write(
        os.path.join(out, "pandoc", "long.md"),
        pandoc_document(lmeta["title"], authors, [(lmeta, lblocks, "")]),
    )
    write(os.path.join(out, "pandoc", "large-print.css"), PANDOC_CSS)
    print(
        "%s: article, %s.toml (%d copies), long/long.md (%d characters), typst/, pandoc/"
        % (out, bulletin_name, args.copies, total)
    )


if __name__ == "__main__":
    sys.exit(main())
