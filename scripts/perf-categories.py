#!/usr/bin/env python3
"""Sums a `perf record --call-graph dwarf` profile of anpham into stages.

usage: perf script -i perf.data -F comm,tid,time,ip,sym | scripts/perf-categories.py

Each sample is charged to the first frame, from the leaf up, that names a stage below;
samples with no such frame are "other". Frames are matched by substring, in order.
"""

import collections
import sys

STAGES = [
    ("load: image checks (full decode)", ["anpham::validate::check_image"]),
    ("PDF: content-stream deflate (krilla)", ["krilla::stream::deflate_encode"]),
    ("PDF: images (krilla decode + deflate)", ["krilla::graphics::image::"]),
    ("PDF: glyph drawing (krilla)", ["krilla::surface::Surface::draw_glyphs", "anpham::pdf::draw_run"]),
    ("PDF: serialization, fonts, tags (krilla finish)", ["krilla::document::Document::finish"]),
    ("PDF: pages, tags, links (anpham::pdf)", ["anpham::pdf::"]),
    ("layout: shaping (harfrust)", ["harfrust::"]),
    ("layout: font choice, itemisation", ["anpham::layout::shape::", "anpham::fonts::FontSet::choose"]),
    ("layout: line breaking", ["anpham::layout::linebreak::"]),
    ("layout: pagination, lines", ["anpham::layout::"]),
    ("EPUB: font subsetting", ["subsetter::", "anpham::epub::webfont"]),
    ("EPUB: zip + deflate", ["anpham::epub::package", "zip::"]),
    ("EPUB: documents", ["anpham::epub::"]),
    ("load: parse, validate, coverage", ["anpham::input::", "anpham::validate::", "anpham::fonts::FontSet::check_coverage"]),
    ("freeing the layout and document", ["drop_in_place"]),
]


def stage_of(frames):
    for f in frames:
        for name, pats in STAGES:
            if any(p in f for p in pats):
                return name
    return "other (startup, allocator, kernel, write)"


def main():
    counts = collections.Counter()
    frames = []
    total = 0

    def flush():
        nonlocal total
        if frames:
            counts[stage_of(frames)] += 1
            total += 1

    for line in sys.stdin:
        if not line.strip():
            flush()
            frames = []
        elif line[0] in " \t":
            parts = line.split(None, 1)
            frames.append(parts[1] if len(parts) > 1 else "")
        else:
            flush()
            frames = []
    flush()
    for name, n in counts.most_common():
        print("%6.1f %%  %s" % (100.0 * n / max(total, 1), name))
    print("%6d samples" % total)


if __name__ == "__main__":
    main()
