#!/usr/bin/env python3
"""Sums a `perf record --call-graph dwarf` profile of anpham into stages.

usage: perf script -i perf.data -F comm,tid,time,ip,sym | scripts/perf-categories.py

Each sample is charged to the first frame, from the leaf up, that names a stage below;
samples with no such frame are "other". Frames are matched by substring, in order. The
second column is the share of the stage's samples taken on the main thread (the first
thread seen): work there is serial unless the other threads have something to do, so a
large main-thread share over a long stage is a serial step. With `-F 1000` one sample is
one millisecond of CPU time.

`--timeline MS` also prints the run in slices of MS milliseconds: per slice, the CPU
milliseconds sampled (2 cores give at most 2 x MS), how many threads ran, and the two
largest stages, which shows the stretches that run on one thread.
"""

import collections
import sys

STAGES = [
    ("load: image checks (full decode)", ["anpham::validate::check_image"]),
    ("images: JPEG/PNG decode", ["zune_jpeg::", "png::", "image::codecs", "fdeflate::", "zune_core::"]),
    ("images: resample", ["fast_image_resize::"]),
    ("images: JPEG encode", ["jpeg_encoder::"]),
    ("images: other (orientation, headers)", ["anpham::images::"]),
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
    on_main = collections.Counter()
    frames = []
    total = 0
    main_tid = None
    tid = None
    when = None
    start = None
    timeline = collections.defaultdict(lambda: [0, set(), collections.Counter()])
    slice_ms = None
    if len(sys.argv) == 3 and sys.argv[1] == "--timeline":
        slice_ms = float(sys.argv[2])

    def flush():
        nonlocal total
        if frames:
            stage = stage_of(frames)
            counts[stage] += 1
            if slice_ms and when is not None:
                cell = timeline[int((when - start) * 1000 / slice_ms)]
                cell[0] += 1
                cell[1].add(tid)
                cell[2][stage] += 1
            if tid == main_tid:
                on_main[stage] += 1
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
            fields = line.split()
            tid = fields[1] if len(fields) > 1 else None
            stamp = next((f for f in fields[2:] if f.endswith(":")), None)
            try:
                when = float(stamp[:-1]) if stamp else None
            except ValueError:
                when = None
            if start is None and when is not None:
                start = when
            if main_tid is None:
                main_tid = tid
    flush()
    print("  share  on main  stage")
    for name, n in counts.most_common():
        print("%6.1f %%  %5.0f %%  %s" % (100.0 * n / max(total, 1), 100.0 * on_main[name] / n, name))
    main = sum(on_main.values())
    print("%6d samples (ms of CPU), %d on the main thread (%.0f %%)" % (
        total, main, 100.0 * main / max(total, 1)))
    if slice_ms:
        print("\n   from  CPU ms  threads  stages")
        for k in sorted(timeline):
            n, tids, stages = timeline[k]
            top = ", ".join("%s %d" % (name, c) for name, c in stages.most_common(2))
            print("%5.0f ms  %6d  %7d  %s" % (k * slice_ms, n, len(tids), top))


if __name__ == "__main__":
    main()
