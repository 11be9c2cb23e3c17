#!/usr/bin/env python3
"""Generates the benchmark inputs of scripts/bench.sh.

usage: scripts/gen-input.py OUT_DIR [--copies N] [--chars N] [--example PATH.md]
           [--articles N] [--scale-up K] [--photo-size WxH]... [--photo-tool CMD]

Writes, under OUT_DIR:

  article/bac-kan.md, article/img/*   one article: a copy of examples/bac-kan
  bulletin-100.toml                   a bulletin listing article/bac-kan.md N times (--copies)
  long/long.md                        one article of about --chars characters (default 1,500,000):
                                      the example's paragraphs repeated, a level-2 heading per copy
  real-WxH/aNNNN/aNNNN.md, img/*.jpg  realistic articles: --articles (default 100) different
                                      articles (and --scale-up K times as many for the first
                                      photo size, default 4), each with 3 different photo-like
                                      JPEGs of W x H (default 1600x1067, ~170 KB at quality 85)
  real-N-WxH.toml                     a bulletin of the first N realistic articles
  typst/{one,bulletin-100,long,real-N-WxH}.typ
                                      the same content for typst, with anpham's page geometry
                                      (A5; inner, outer, top, bottom margins and the header and
                                      page-number bands of anpham's large print; Be Vietnam Pro
                                      18 pt on anpham's line pitch; anpham's spacings); paths
                                      relative to OUT_DIR (--root)
  pandoc/{one,bulletin-100,long,real-N-WxH}.md, pandoc/large-print.css
                                      the same content for pandoc (Markdown, figures with
                                      fig-alt and captions) and a large-print style sheet

Each further --photo-size (e.g. 4000x3000, camera photos of ~3 MB) gets its own copy of the
first N realistic articles with photos of that size. The photos are written by the
`gen-photos` example (scripts/gen-photos.rs; --photo-tool names its binary; bench.sh builds
it): a file already there at the right size is kept, so a second run is fast.

The realistic articles are recombined from the sentences of the example article and the
seed text, deterministically (article i is always the same): each gets its own title,
date, author, names, places and figures (numbers, years, percentages), paragraphs drawn
from the sentence pool with their clauses reordered, 0-3 subheadings and 3 figures.

With --corpus DIR (real articles; the corpus stays outside the repository), also:

  corpus-WxH/cNNNN/cNNNN.json, img/*.jpg
                                      the first --corpus-articles (default 96) articles of DIR
                                      with at least 4 paragraphs, as anpham JSON articles, each
                                      with 3 different photos of the first photo size
  corpus-N-WxH.toml, typst/corpus-N-WxH.typ, pandoc/corpus-N-WxH.md
                                      their bulletin for anpham, typst and pandoc

DIR holds article files in name order: `.txt` in the format of the underthesea news corpus
(CP_Vietnamese-UNC: `# key = value` lines such as `# date = 20201001`, then the title, the
lead and one paragraph a line) or `.json` ({"title", "lead" or "sapo" or "description",
"date", "author", "content" or "body": text with blank lines between paragraphs, or a list
of paragraphs}). A short line without final punctuation becomes a level-2 heading. The
figures go at the top and before two paragraphs drawn deterministically; each caption is the
first sentence of the paragraph after the figure, cut at a word after 160 characters (the
length of a long caption on a news portal; a 300-character caption is 11 lines at 18 pt on
A5 and runs on, with a warning), its alt text a description of the generated photo.

Only the standard library is used. The example's Markdown is read with a small parser that
knows what the example holds (YAML front matter of `key: value` lines, paragraphs, `#`
headings, and `![alt](src "caption")` figures); it is not a general Markdown reader.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
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


# --- realistic articles -------------------------------------------------------------------

PROVINCES = (
    "Hà Giang", "Cao Bằng", "Bắc Kạn", "Tuyên Quang", "Lào Cai", "Điện Biên", "Lai Châu",
    "Sơn La", "Yên Bái", "Hòa Bình", "Thái Nguyên", "Lạng Sơn", "Quảng Ninh", "Bắc Giang",
    "Phú Thọ", "Vĩnh Phúc", "Bắc Ninh", "Hải Dương", "Hưng Yên", "Thái Bình", "Hà Nam",
    "Nam Định", "Ninh Bình", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Quảng Trị",
    "Thừa Thiên Huế", "Quảng Nam", "Quảng Ngãi", "Bình Định", "Phú Yên", "Khánh Hòa",
    "Ninh Thuận", "Bình Thuận", "Kon Tum", "Gia Lai", "Đắk Lắk", "Đắk Nông", "Lâm Đồng",
    "Bình Phước", "Tây Ninh", "Bình Dương", "Đồng Nai", "Bà Rịa - Vũng Tàu", "Long An",
    "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long", "Đồng Tháp", "An Giang", "Kiên Giang",
    "Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau",
)
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
            "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Lèng", "Ma", "Nông", "Triệu", "Lục")
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Xuân", "Thu", "Kim")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hiếu", "Hòa", "Hùng", "Hương", "Lan",
         "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phúc", "Quang", "Sơn", "Tâm", "Thảo",
         "Thắng", "Trang", "Tuấn", "Việt", "Yến", "Dịu", "Khánh", "Nhung", "Toàn", "Vinh")
OFFICES = ("Chủ tịch UBND tỉnh", "Phó Chủ tịch UBND tỉnh", "Giám đốc Sở Nông nghiệp và Phát triển nông thôn",
           "Giám đốc Sở Y tế", "Giám đốc Sở Giáo dục và Đào tạo", "Trưởng Ban Tuyên giáo Tỉnh ủy",
           "Bí thư Huyện ủy", "Chủ tịch Hội Nông dân tỉnh", "Giám đốc Sở Văn hóa, Thể thao và Du lịch",
           "Phó Bí thư Thường trực Tỉnh ủy", "Trưởng Ban Dân vận Tỉnh ủy", "Giám đốc Sở Tài chính")
TOPICS = ("chuyển đổi số", "phát triển du lịch cộng đồng", "xây dựng nông thôn mới",
          "phòng, chống thiên tai", "cải cách hành chính", "bảo vệ rừng đầu nguồn",
          "chăm sóc sức khỏe ban đầu", "giáo dục vùng cao", "giảm nghèo bền vững",
          "phát triển hợp tác xã", "bảo đảm trật tự an toàn giao thông", "bảo tồn văn hóa các dân tộc",
          "thu hút đầu tư", "phát triển kinh tế tập thể", "nước sạch nông thôn",
          "đào tạo nghề cho lao động nông thôn", "phòng, chống dịch bệnh", "xây dựng Đảng")
EVENTS = ("Hội nghị tổng kết", "Hội thảo khoa học về", "Tọa đàm", "Lễ phát động", "Hội nghị sơ kết",
          "Diễn đàn", "Đoàn công tác kiểm tra", "Lễ ra mắt mô hình", "Hội nghị triển khai")
THINGS = ("hộ gia đình", "cán bộ, đảng viên", "học sinh", "hợp tác xã", "doanh nghiệp", "thôn, bản",
          "lượt khách", "héc-ta rừng", "công trình", "lao động")
HEADINGS = ("Kết quả nổi bật", "Những khó khăn, hạn chế", "Giải pháp trong thời gian tới",
            "Ý kiến của người dân", "Nhiệm vụ trọng tâm", "Bài học kinh nghiệm", "Nguồn lực đầu tư",
            "Sự vào cuộc của cả hệ thống chính trị", "Hướng đi mới", "Kiến nghị, đề xuất")
SCENES = ("hội trường nhìn từ phía sau, nhiều hàng ghế có người ngồi hướng về sân khấu",
          "một người mặc áo sơ mi trắng đứng phát biểu sau bục gỗ có micrô",
          "một nhóm người đội mũ bảo hiểm đứng trên công trường, phía sau là máy xúc",
          "cánh đồng lúa chín vàng, xa xa là dãy núi và bầu trời nhiều mây",
          "học sinh mặc đồng phục ngồi trong lớp học, cô giáo đứng cạnh bảng đen",
          "người dân xếp hàng trước quầy tiếp nhận hồ sơ, cán bộ ngồi sau máy tính",
          "một con đường bê tông uốn quanh sườn đồi, hai bên là nhà sàn",
          "các đại biểu cắt băng khánh thành trước cổng một công trình mới",
          "nhân viên y tế mặc áo blouse trắng khám bệnh cho người cao tuổi",
          "du khách chụp ảnh bên hồ nước xanh, phía sau là núi đá vôi")


def sentence_pool(blocks, meta, seed_text):
    """Every sentence of the example's paragraphs and lead and of the seed text."""
    texts = [b[1] for b in blocks if b[0] == "p"] + [meta.get("lead", "")]
    for chunk in re.split(r"\n\s*\n", seed_text or ""):
        chunk = " ".join(chunk.split())
        if len(chunk) > 120:
            texts.append(chunk)
    pool = []
    for t in texts:
        for sent in re.split(r"(?<=[.…;])\s+(?=[A-ZĐÂÊÔƠƯÁÀẢÃẠ])", t):
            sent = sent.strip()
            if len(sent) > 40 and sent not in pool:
                pool.append(sent)
    return pool


def person(rng):
    return "%s %s %s" % (rng.choice(SURNAMES), rng.choice(MIDDLE), rng.choice(GIVEN))


def localise(sentence, rng, province, names):
    """A pooled sentence made this article's own: its places and people replaced, its
    clauses (between commas) reordered now and then."""
    s = sentence.replace("Bắc Kạn", province)
    for old in ("Hoàng Lục Do", "Phương Thị Thanh", "Lèng Văn Tý"):
        s = s.replace(old, rng.choice(names))
    clauses = s.split(", ")
    if len(clauses) > 3 and rng.random() < 0.6:
        middle = clauses[1:-1]
        rng.shuffle(middle)
        s = ", ".join([clauses[0]] + middle + [clauses[-1]])
    return s


def figures_sentence(rng, province, year, topic):
    """A sentence of facts with numbers, different in every article."""
    template = rng.choice((
        "Năm {y}, toàn tỉnh {p} có {n} {t} tham gia chương trình {topic}, đạt {m}% kế hoạch.",
        "Tính đến hết quý {q} năm {y}, tỉnh {p} đã hỗ trợ {n} {t} trong lĩnh vực {topic},"
        " tăng {m}% so với cùng kỳ.",
        "Trong năm {y}, tỉnh {p} huy động được {n} {t} cho {topic}; tỷ lệ hoàn thành đạt {m}%.",
    ))
    return template.format(
        y=year, p=province, topic=topic, t=rng.choice(THINGS), q=rng.randint(1, 4),
        n=format(rng.randint(12, 9800), ",").replace(",", "."), m=rng.randint(3, 97),
    )


def realistic_article(i, pool, year0=2022):
    """Article i of the realistic set: (meta, blocks, photos) where blocks hold figure
    sources `img/pK.jpg` and photos are (file name, seed) pairs."""
    rng = random.Random(1009 * i + 17)
    province = PROVINCES[(i * 7) % len(PROVINCES)]
    topic = TOPICS[rng.randrange(len(TOPICS))]
    event = rng.choice(EVENTS)
    year = year0 + rng.randint(0, 3)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    names = [person(rng) for _ in range(4)]
    title = "%s công tác %s tỉnh %s năm %d" % (event, topic, province, year)
    if rng.random() < 0.4:
        title = "%s: %s" % (province, rng.choice((
            "nhiều cách làm hay trong %s" % topic,
            "đẩy mạnh %s gắn với phát triển bền vững" % topic,
            "%s – từ chủ trương đến hành động" % topic.capitalize(),
        )))
    lead = "Ngày %d/%d, %s tỉnh %s tổ chức %s công tác %s năm %d. Đồng chí %s – %s chủ trì. %s" % (
        day, month, rng.choice(("UBND", "Tỉnh ủy", "Sở Nội vụ", "Ban Chỉ đạo")), province,
        event.lower(), topic, year, names[0], rng.choice(OFFICES),
        localise(rng.choice(pool), rng, province, names),
    )
    meta = {
        "title": title,
        "lead": lead,
        "author": person(rng),
        "date": "%04d-%02d-%02d" % (year, month, day),
        "lang": "vi",
        "slug": "a%04d" % i,
    }
    paragraphs = []
    for _ in range(rng.randint(3, 6)):
        sents = [localise(rng.choice(pool), rng, province, names) for _ in range(rng.randint(2, 4))]
        if rng.random() < 0.5:
            sents.insert(rng.randrange(len(sents) + 1), figures_sentence(rng, province, year, topic))
        paragraphs.append(" ".join(sents))
    blocks = [("p", p) for p in paragraphs]
    headings = rng.sample(HEADINGS, rng.randint(0, 3))
    for h in headings:
        at = rng.randint(2, len(blocks) - 1)
        blocks.insert(at, ("h", 2, h))
    photos = []
    spots = sorted(rng.sample(range(1, len(blocks)), 2))
    for k, at in enumerate([0] + spots):
        name = "p%d.jpg" % (k + 1)
        who = rng.choice(names)
        caption = rng.choice((
            "Đồng chí %s – %s phát biểu tại %s" % (who, rng.choice(OFFICES), event.lower()),
            "Quang cảnh %s công tác %s" % (event.lower(), topic),
            "Người dân tỉnh %s tham gia %s" % (province, topic),
            "Đoàn công tác thăm mô hình %s tại huyện %s" % (topic, rng.choice(GIVEN)),
        ))
        alt = "Ảnh: %s (%s, %d/%d/%d)" % (rng.choice(SCENES), province, day, month, year)
        photos.append((name, i * 10 + k + 1))
        # Figures go before the block at their spot, counted from the end so the
        # earlier insertions do not move the later spots.
        blocks_at = at + k
        blocks.insert(blocks_at, ("fig", alt, "img/" + name, caption))
    return meta, blocks, photos


def write_realistic(out, n_articles, size, pool, photo_list):
    """Writes articles 1..n into OUT/real-WxH/aNNNN/ (Markdown + photo names into
    photo_list); returns [(meta, blocks, dir relative to OUT)]."""
    w, h = size
    base = os.path.join(out, "real-%dx%d" % (w, h))
    arts = []
    for i in range(1, n_articles + 1):
        meta, blocks, photos = realistic_article(i, pool)
        rel = "real-%dx%d/a%04d" % (w, h, i)
        write(os.path.join(out, rel, "a%04d.md" % i), article_markdown(meta, blocks))
        for name, seed in photos:
            photo_list.append("%s %d %d %d" % (os.path.join(out, rel, "img", name), w, h, seed))
        arts.append((meta, blocks, rel))
    return arts


def bulletin_toml(title, description, publisher, date, paths, comment):
    toml = [
        "# Generated by scripts/gen-input.py: %s" % comment,
        "title = " + toml_quote(title),
        "publisher = " + toml_quote(publisher),
        'date = "%s"' % date,
        'lang = "vi"',
        "description = " + toml_quote(description),
        "articles = [",
    ]
    toml += ['  "%s",' % p for p in paths]
    toml.append("]")
    return "\n".join(toml) + "\n"


def make_photos(photo_list, list_path, tool):
    """Writes the photos of photo_list with the gen-photos tool (skipping those there)."""
    write(list_path, "\n".join(photo_list) + "\n")
    if not tool:
        missing = [l for l in photo_list if not os.path.exists(l.split(" ")[0])]
        if missing:
            sys.exit(
                "gen-input.py: %d photos missing and no --photo-tool: run\n"
                "  cargo run --release --example gen-photos -- %s" % (len(missing), list_path)
            )
        return
    subprocess.run(tool.split() + [list_path], check=True)


# --- real articles from a corpus ------------------------------------------------------------

HEADING_END = re.compile(r"[.!?…:;,\"”’)\]]$")


def read_corpus_file(path):
    """(meta, paragraphs) of one corpus file, or None when it cannot be read as one."""
    try:
        text = open(path, encoding="utf-8").read()
    except (OSError, UnicodeDecodeError):
        return None
    meta = {}
    if path.endswith(".json"):
        try:
            d = json.loads(text)
        except ValueError:
            return None
        if not isinstance(d, dict):
            return None
        body = d.get("content") or d.get("body") or ""
        paras = body if isinstance(body, list) else re.split(r"\n\s*\n|\n", body)
        paras = [" ".join(str(p).split()) for p in paras if str(p).strip()]
        meta["title"] = " ".join(str(d.get("title", "")).split())
        lead = d.get("lead") or d.get("sapo") or d.get("description") or ""
        meta["lead"] = " ".join(str(lead).split())
        for key in ("date", "author"):
            if d.get(key):
                meta[key] = str(d[key])
    else:
        lines = []
        for line in text.splitlines():
            m = re.match(r"^#\s*(\w+)\s*=\s*(.*)$", line)
            if m and not lines:
                meta[m[1]] = m[2].strip()
            elif line.strip():
                lines.append(" ".join(line.split()))
        if len(lines) < 3:
            return None
        meta["title"], meta["lead"], paras = lines[0], lines[1], lines[2:]
    d = meta.get("date", "")
    if re.fullmatch(r"\d{8}", d):
        meta["date"] = "%s-%s-%s" % (d[0:4], d[4:6], d[6:8])
    elif not re.fullmatch(r"\d{4}-\d{2}-\d{2}", d[:10]):
        meta.pop("date", None)
    else:
        meta["date"] = d[:10]
    if not meta.get("title") or not paras:
        return None
    return meta, paras


def first_sentence(text, limit=160):
    """The first sentence of a paragraph (cut at a word when longer than `limit`)."""
    m = re.match(r"^(.+?[.!?…])(\s+[A-ZĐÂÊÔƠƯÁÀẢÃẠ\"“]|$)", text)
    s = m[1] if m else text
    if len(s) > limit:
        s = s[: s.rfind(" ", 0, limit)] + "…"
    return s


def corpus_article(i, meta, paras):
    """Article i of the corpus set: (meta, blocks, photos), blocks as parse_article gives
    them, three figures."""
    rng = random.Random(7919 * i + 3)
    blocks = []
    for p in paras:
        if len(p) < 90 and not HEADING_END.search(p):
            blocks.append(("h", 2, p))
        else:
            blocks.append(("p", p))
    m = {"title": meta["title"], "lang": "vi", "slug": "c%04d" % i}
    for key in ("lead", "date", "author"):
        if meta.get(key):
            m[key] = meta[key]
    spots = [k for k in range(1, len(blocks)) if blocks[k][0] == "p"]
    spots = sorted(rng.sample(spots, min(2, len(spots))))
    photos = []
    for k, at in enumerate([0] + spots):
        name = "p%d.jpg" % (k + 1)
        following = next((b for b in blocks[at + k:] if b[0] == "p"), ("p", meta["title"]))
        alt = "Ảnh minh họa được tạo tự động: %s" % SCENES[(i + k) % len(SCENES)]
        photos.append((name, 100000 + i * 10 + k + 1))
        blocks.insert(at + k, ("fig", alt, "img/" + name, first_sentence(following[1])))
    return m, blocks, photos


def article_json(meta, blocks):
    out = {key: meta[key] for key in ("title", "lead", "author", "date", "lang", "slug") if key in meta}
    out["blocks"] = []
    for b in blocks:
        if b[0] == "p":
            out["blocks"].append({"type": "paragraph", "text": b[1]})
        elif b[0] == "h":
            out["blocks"].append({"type": "heading", "level": b[1], "text": b[2]})
        else:
            out["blocks"].append({"type": "figure", "src": b[2], "alt": b[1], "caption": b[3]})
    return json.dumps(out, ensure_ascii=False, indent=1) + "\n"


def write_corpus(out, corpus, n_articles, size, photo_list):
    """Writes the first n usable articles of the corpus folder into OUT/corpus-WxH/cNNNN/;
    returns [(meta, blocks, dir relative to OUT)]."""
    w, h = size
    names = sorted(
        f for f in os.listdir(corpus) if f.endswith((".txt", ".json")) and not f.startswith(".")
    )
    arts = []
    for f in names:
        if len(arts) >= n_articles:
            break
        read = read_corpus_file(os.path.join(corpus, f))
        if not read or sum(1 for p in read[1] if len(p) >= 90) < 4:
            continue
        i = len(arts) + 1
        meta, blocks, photos = corpus_article(i, *read)
        rel = "corpus-%dx%d/c%04d" % (w, h, i)
        write(os.path.join(out, rel, "c%04d.json" % i), article_json(meta, blocks))
        for name, seed in photos:
            photo_list.append("%s %d %d %d" % (os.path.join(out, rel, "img", name), w, h, seed))
        arts.append((meta, blocks, rel))
    if len(arts) < n_articles:
        print("gen-input.py: the corpus gave %d usable articles of %d asked" % (len(arts), n_articles),
              file=sys.stderr)
    return arts


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


# anpham's large print (+3) on A5, as src/layout and src/scale.rs set it: body 18 pt; a
# line pitch of max(1.5 em, tallest + deepest glyph of the tall sample + 0.05 em), which
# for Be Vietnam Pro is 1.566 em (28.19 pt at 18 pt: measured between baselines with
# `pdftotext -bbox-layout` on anpham's PDF); the running header (14.4 pt, one pitch) and
# the page number (18 pt, its glyph box of pitch - 0.05 em) stand inside the 25 mm
# margins, each 0.6 body (10.8 pt) away from the text. The typst margins below are
# anpham's text area: the header band on top, the page-number band at the foot, and one
# leading more at the foot, because typst needs no leading below a page's last line
# where anpham keeps a full pitch for it: N lines then fit in both or in neither.
LINE_PITCH_EM = 1.566
# Be Vietnam Pro's hhea ascender + descender (1000 + 265 units), typst's line box with
# top-edge "ascender" and bottom-edge "descender": the leading is the pitch minus it.
TYPST_LINE_BOX_EM = 1.265
HEADER_BAND_PT = 14.4 * LINE_PITCH_EM + 10.8
NUMBER_BAND_PT = 18 * (LINE_PITCH_EM - 0.05) + 10.8 + 18 * (LINE_PITCH_EM - TYPST_LINE_BOX_EM)

TYPST_PREAMBLE = """// Generated by scripts/gen-input.py: the anpham benchmark content for typst,
// with anpham's large-print (+3) page geometry: A5, margins 31 mm inside, 25 mm outside,
// 25 mm top and bottom with the running header and the page number inside them, Be
// Vietnam Pro 18 pt on a {pitch} em line pitch, headings 1.3 and 1.15 em, 0.6 em between
// paragraphs, figures full width with a 0.3 em gap above their caption.
#set document(title: {title}, author: {authors})
#set text(font: "Be Vietnam Pro", size: 18pt, lang: "vi", top-edge: "ascender", bottom-edge: "descender")
#let lead = {leading}em
#set par(leading: lead, spacing: lead + 0.6em, justify: false)
#show heading: set block(above: lead + 10.8pt, below: lead + 5.4pt)
#show heading.where(level: 1): set block(above: lead, below: lead + 9pt)
#show heading.where(level: 1): set text(size: 23.4pt)
#show heading.where(level: 2): set text(size: 20.7pt)
#set figure(numbering: none, gap: 5.4pt)
#show figure: set block(above: lead + 5.4pt, below: lead + 10.8pt)
#set page(
  paper: "a5",
  margin: (inside: 31mm, outside: 25mm, top: 25mm + {header_band}pt, bottom: 25mm + {number_band}pt),
  header-ascent: 10.8pt,
  footer-descent: 10.8pt,
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
        .replace("{pitch}", "%g" % LINE_PITCH_EM)
        .replace("{leading}", "%.3f" % (LINE_PITCH_EM - TYPST_LINE_BOX_EM))
        .replace("{header_band}", "%.2f" % HEADER_BAND_PT)
        .replace("{number_band}", "%.2f" % NUMBER_BAND_PT)
        .replace("{authors}", "(" + ", ".join(typst_str(a) for a in authors) + ",)")
        .replace("{front_pages}", str(front))
        .replace("{header}", typst_text(short_title(bulletin["header"] if bulletin else title)))
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
    ap.add_argument("--articles", type=int, default=100, help="realistic articles (default 100)")
    ap.add_argument(
        "--scale-up", type=int, default=4,
        help="also a bulletin of K times as many realistic articles, first photo size (default 4)",
    )
    ap.add_argument(
        "--photo-size", action="append", default=None, metavar="WxH",
        help="photo size of the realistic articles (default 1600x1067; repeat for more sets)",
    )
    ap.add_argument("--photo-tool", default=None, help="the gen-photos binary (a command)")
    ap.add_argument("--corpus", default=None, metavar="DIR",
                    help="a folder of real articles (.txt as in the underthesea news corpus, or .json)")
    ap.add_argument("--corpus-articles", type=int, default=96,
                    help="how many corpus articles make the corpus bulletin (default 96)")
    args = ap.parse_args()
    sizes = []
    for spec in args.photo_size or ["1600x1067"]:
        m = re.fullmatch(r"(\d+)x(\d+)", spec)
        if not m or not (0 < int(m[1]) < 65536 and 0 < int(m[2]) < 65536):
            sys.exit("gen-input.py: --photo-size %s: expected WIDTHxHEIGHT, e.g. 4000x3000" % spec)
        sizes.append((int(m[1]), int(m[2])))
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
    bulletin = {
        "description": description,
        "meta": publisher + " — " + display_date(date),
        # A bulletin's running header is its title and date, as anpham prints it.
        "header": title + " — " + display_date(date),
    }
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

    # Realistic bulletins: different articles, different photos.
    pool = sentence_pool(blocks, meta, None)
    photo_list = []
    made = []
    for k, size in enumerate(sizes):
        counts = [args.articles] + ([args.articles * args.scale_up] if k == 0 and args.scale_up > 1 else [])
        arts = write_realistic(out, max(counts), size, pool, photo_list)
        for n in counts:
            name = "real-%d-%dx%d" % (n, size[0], size[1])
            rtitle = "Bản tin các tỉnh (%d bài)" % n
            rdesc = "Bản tin thử nghiệm hiệu năng của anpham: %d bài báo khác nhau, mỗi bài 3 ảnh %d × %d." % (
                n, size[0], size[1])
            rpub = "Bản tin tổng hợp"
            paths = ["%s/a%04d.md" % (rel, i + 1) for i, (_, _, rel) in enumerate(arts[:n])]
            write(os.path.join(out, name + ".toml"),
                  bulletin_toml(rtitle, rdesc, rpub, date, paths, "%d different articles" % n))
            rb = {
                "description": rdesc,
                "meta": rpub + " — " + display_date(date),
                "header": rtitle + " — " + display_date(date),
            }
            rauthors = sorted({a[0]["author"] for a in arts[:n]})
            write(os.path.join(out, "typst", name + ".typ"), typst_document(
                rtitle, rauthors, [(m_, b_, "/" + rel + "/") for m_, b_, rel in arts[:n]], rb))
            write(os.path.join(out, "pandoc", name + ".md"), pandoc_document(
                rtitle, rauthors, [(m_, b_, rel + "/") for m_, b_, rel in arts[:n]]))
            made.append(name)
    if args.corpus:
        size = sizes[0]
        arts = write_corpus(out, args.corpus, args.corpus_articles, size, photo_list)
        n = len(arts)
        name = "corpus-%d-%dx%d" % (n, size[0], size[1])
        ctitle = "Bản tin tổng hợp (%d bài)" % n
        cdesc = "Bản tin thử nghiệm của anpham: %d bài báo thật, mỗi bài 3 ảnh tạo tự động %d × %d." % (
            n, size[0], size[1])
        paths = ["%s/c%04d.json" % (rel, i + 1) for i, (_, _, rel) in enumerate(arts)]
        write(os.path.join(out, name + ".toml"),
              bulletin_toml(ctitle, cdesc, "Bản tin tổng hợp", date, paths, "%d corpus articles" % n))
        cb = {
            "description": cdesc,
            "meta": "Bản tin tổng hợp — " + display_date(date),
            "header": ctitle + " — " + display_date(date),
        }
        cauthors = sorted({a[0]["author"] for a in arts if a[0].get("author")}) or ["anpham"]
        write(os.path.join(out, "typst", name + ".typ"), typst_document(
            ctitle, cauthors, [(m_, b_, "/" + rel + "/") for m_, b_, rel in arts], cb))
        write(os.path.join(out, "pandoc", name + ".md"), pandoc_document(
            ctitle, cauthors, [(m_, b_, rel + "/") for m_, b_, rel in arts]))
        made.append(name)
    make_photos(photo_list, os.path.join(out, "photos.txt"), args.photo_tool)
    print(
        "%s: article, %s.toml (%d copies), long/long.md (%d characters), %s, typst/, pandoc/"
        % (out, bulletin_name, args.copies, total, ", ".join(n + ".toml" for n in made))
    )


if __name__ == "__main__":
    sys.exit(main())
