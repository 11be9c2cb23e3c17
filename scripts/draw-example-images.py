#!/usr/bin/env python3
"""Draws the illustrative images of anpham's bundled examples and test fixtures.

The photos of the original articles are not available, so the examples carry simple
drawings made here instead; their alt texts say so. The generated files are committed;
this script only documents (and can repeat) how they were made. It needs Pillow
(`pip install pillow`), which anpham itself never uses.

    python3 scripts/draw-example-images.py        # from the repository root
"""

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
W, H = 800, 533
S = 2  # drawn at twice the size, then scaled down (smooth edges)

WALL = (236, 226, 206)
FLOOR = (196, 170, 136)
RED = (178, 34, 38)
DARK_RED = (120, 22, 26)
GOLD = (238, 196, 70)
WOOD = (128, 84, 48)
DARK_WOOD = (92, 58, 32)
SEAT = (40, 74, 128)
SEAT_BACK = (30, 56, 100)
HAIR = (34, 30, 30)
SKIN = (226, 184, 150)
WHITE = (250, 250, 248)
SHIRT = (238, 240, 244)
SUIT = (52, 56, 66)
CLOTH = (34, 120, 84)
LEAF = (60, 140, 70)
FLOWER = (236, 90, 110)
MIC = (30, 30, 30)


def canvas(w=W, h=H):
    img = Image.new("RGB", (w * S, h * S), WALL)
    return img, ImageDraw.Draw(img)


def box(d, x0, y0, x1, y1, fill, outline=None, width=1):
    d.rectangle([x0 * S, y0 * S, x1 * S, y1 * S], fill=fill, outline=outline, width=width * S)


def oval(d, x0, y0, x1, y1, fill):
    d.ellipse([x0 * S, y0 * S, x1 * S, y1 * S], fill=fill)


def poly(d, points, fill):
    d.polygon([(x * S, y * S) for x, y in points], fill=fill)


def line(d, points, fill, width):
    d.line([(x * S, y * S) for x, y in points], fill=fill, width=width * S)


def flowers(d, cx, base_y, r=18):
    """A pot of flowers standing on `base_y`."""
    poly(d, [(cx - r, base_y - 2 * r), (cx + r, base_y - 2 * r), (cx + r * 0.7, base_y), (cx - r * 0.7, base_y)], GOLD)
    oval(d, cx - 1.6 * r, base_y - 3.6 * r, cx + 1.6 * r, base_y - 1.6 * r, LEAF)
    for dx, dy in [(-0.9, -3.0), (0.0, -3.4), (0.9, -3.0), (-0.4, -2.4), (0.5, -2.5)]:
        oval(d, cx + dx * r - 0.45 * r, base_y + dy * r - 0.45 * r, cx + dx * r + 0.45 * r, base_y + dy * r + 0.45 * r, FLOWER)


def lectern(d, x, top, bottom, width=120):
    """A wooden lectern with a gold emblem disc and a microphone on a goose neck."""
    poly(d, [(x - width / 2 - 10, top), (x + width / 2 + 10, top), (x + width / 2, top + 18), (x - width / 2, top + 18)], DARK_WOOD)
    poly(d, [(x - width / 2, top + 18), (x + width / 2, top + 18), (x + width / 2 - 12, bottom), (x - width / 2 + 12, bottom)], WOOD)
    oval(d, x - 22, top + 48, x + 22, top + 92, GOLD)
    oval(d, x - 12, top + 58, x + 12, top + 82, RED)


def microphone(d, x0, y0, x1, y1):
    line(d, [(x0, y0), ((x0 + x1) / 2, y1 - 14), (x1, y1)], MIC, 3)
    oval(d, x1 - 6, y1 - 6, x1 + 6, y1 + 6, MIC)


def hall():
    """Toàn cảnh: a hall seen from the back, rows of seats with people facing a stage
    with a red backdrop, a presidium table and a lectern."""
    img, d = canvas()
    box(d, 0, 300, W, H, FLOOR)
    # Stage and backdrop.
    box(d, 120, 40, 680, 250, RED)
    box(d, 150, 70, 650, 110, GOLD)
    for i in range(5):
        box(d, 175 + i * 96, 84, 235 + i * 96, 96, DARK_RED)
    oval(d, 370, 125, 430, 185, GOLD)
    box(d, 90, 250, 710, 300, DARK_WOOD)
    # Presidium table with a green cloth, people behind it.
    for i in range(6):
        cx = 300 + i * 52
        oval(d, cx - 14, 178, cx + 14, 206, HAIR)
        box(d, cx - 20, 204, cx + 20, 230, SUIT)
    box(d, 270, 222, 600, 262, CLOTH)
    flowers(d, 435, 262, r=12)
    lectern(d, 190, 180, 262, width=70)
    # Rows of seats, in perspective: farther rows are smaller.
    for row in range(6):
        y = 320 + row * 36 + row * row * 2
        scale = 0.7 + row * 0.12
        seat_w = 46 * scale
        gap = 10 * scale
        n = int((W + gap) // (seat_w + gap)) + 1
        x_start = (W - n * (seat_w + gap)) / 2
        for i in range(n):
            x = x_start + i * (seat_w + gap)
            if 360 < x + seat_w / 2 < 440:  # the central aisle
                continue
            head = 15 * scale
            cx = x + seat_w / 2
            if (i + row) % 5 != 0:  # some seats are empty
                oval(d, cx - head, y - 2.0 * head, cx + head, y, HAIR)
                box(d, cx - head * 1.3, y - 4, cx + head * 1.3, y + 12 * scale, SHIRT if (i + row) % 2 else SUIT)
            box(d, x, y + 4 * scale, x + seat_w, y + 30 * scale, SEAT_BACK)
            box(d, x + 3, y + 8 * scale, x + seat_w - 3, y + 26 * scale, SEAT)
    return img


def speaker(woman: bool):
    """A speaker at a lectern with a microphone, in front of a red backdrop."""
    img, d = canvas()
    box(d, 0, 0, W, 400, RED)
    box(d, 0, 40, W, 90, GOLD)
    for i in range(7):
        box(d, 40 + i * 110, 56, 110 + i * 110, 74, DARK_RED)
    box(d, 0, 400, W, H, FLOOR)
    cx = 400 if not woman else 430
    # Body and head.
    if woman:
        poly(d, [(cx - 95, 300), (cx + 95, 300), (cx + 120, 470), (cx - 120, 470)], (40, 90, 150))  # áo dài, blue
        box(d, cx - 26, 200, cx + 26, 240, SKIN)
        oval(d, cx - 78, 120, cx + 78, 300, HAIR)  # long hair behind
        oval(d, cx - 58, 120, cx + 58, 250, SKIN)
        poly(d, [(cx - 62, 170), (cx - 40, 112), (cx + 40, 112), (cx + 62, 170), (cx + 30, 140), (cx - 30, 140)], HAIR)
        poly(d, [(cx - 90, 250), (cx + 90, 250), (cx + 100, 320), (cx - 100, 320)], (40, 90, 150))
    else:
        poly(d, [(cx - 110, 260), (cx + 110, 260), (cx + 130, 470), (cx - 130, 470)], SUIT)
        poly(d, [(cx - 30, 260), (cx + 30, 260), (cx, 330)], SHIRT)
        poly(d, [(cx - 8, 268), (cx + 8, 268), (cx + 10, 320), (cx, 335), (cx - 10, 320)], RED)  # tie
        box(d, cx - 24, 210, cx + 24, 262, SKIN)
        oval(d, cx - 58, 110, cx + 58, 240, SKIN)
        poly(d, [(cx - 60, 160), (cx - 50, 112), (cx, 98), (cx + 50, 112), (cx + 60, 160), (cx + 44, 130), (cx - 44, 130)], HAIR)
    # Eyes and mouth: a friendly, simple face.
    oval(d, cx - 28, 170, cx - 16, 182, HAIR)
    oval(d, cx + 16, 170, cx + 28, 182, HAIR)
    line(d, [(cx - 16, 212), (cx, 218), (cx + 16, 212)], DARK_RED, 3)
    # The lectern in front, microphone towards the mouth.
    lectern(d, cx, 330, H, width=260)
    microphone(d, cx + 90, 330, cx + 20, 226)
    if woman:
        flowers(d, 150, 470, r=26)
    else:
        flowers(d, 650, 470, r=26)
    return img


def reading_room():
    """English example: a reading room with a shelf of large books and a magnifying glass
    on a table."""
    img, d = canvas()
    box(d, 0, 380, W, H, FLOOR)
    # Shelf with books of different heights and colours.
    box(d, 60, 60, 740, 340, DARK_WOOD)
    colors = [RED, SEAT, CLOTH, GOLD, (120, 70, 140), (200, 110, 40), SUIT]
    for shelf in range(2):
        y1 = 190 + shelf * 140
        box(d, 70, y1, 730, y1 + 10, WOOD)
        x = 80
        i = shelf * 3
        while x < 700:
            w = 34 + (i * 7) % 20
            h = 90 + (i * 13) % 30
            box(d, x, y1 - h, x + w, y1, colors[i % len(colors)])
            box(d, x + 6, y1 - h + 14, x + w - 6, y1 - h + 24, WHITE)
            x += w + 4
            i += 1
    # Table with an open book and a magnifying glass.
    box(d, 120, 400, 680, 430, WOOD)
    box(d, 150, 430, 170, H, DARK_WOOD)
    box(d, 630, 430, 650, H, DARK_WOOD)
    poly(d, [(260, 398), (400, 380), (540, 398), (400, 408)], WHITE)
    line(d, [(400, 380), (400, 408)], SUIT, 2)
    for k in range(4):
        line(d, [(285, 392 - k * 3 + 2), (385, 380 - k * 3 + 8)], SUIT, 2)
    d.ellipse([560 * S, 350 * S, 620 * S, 410 * S], outline=HAIR, width=6 * S)
    line(d, [(612, 402), (650, 440)], HAIR, 8)
    return img


def small_frame(w, h, label_color):
    """A small framed picture: a sun over green hills (used by fixtures)."""
    img, d = canvas(w, h)
    box(d, 0, 0, w, h, (170, 210, 240))
    oval(d, w * 0.7, h * 0.12, w * 0.85, h * 0.12 + w * 0.15, GOLD)
    poly(d, [(0, h), (0, h * 0.6), (w * 0.35, h * 0.4), (w * 0.7, h * 0.65), (w, h * 0.5), (w, h)], LEAF)
    box(d, 0, 0, w - 1, h - 1, None, outline=label_color, width=2)
    return img


def finish(img, size):
    return img.resize(size, Image.LANCZOS)


def save_png(img, path, colors=48):
    path.parent.mkdir(parents=True, exist_ok=True)
    img.quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)


def save_jpeg(img, path, quality=80):
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, quality=quality, optimize=True, progressive=False)


def main():
    ex = ROOT / "examples"
    save_png(finish(hall(), (W, H)), ex / "bac-kan/img/toan-canh-hoi-thao.png")
    save_jpeg(finish(speaker(woman=False), (W, H)), ex / "bac-kan/img/dong-chi-leng-van-ty.jpg")
    save_jpeg(finish(speaker(woman=True), (W, H)), ex / "bac-kan/img/dong-chi-phuong-thi-thanh.jpg")
    save_png(finish(reading_room(), (W, H)), ex / "english/img/reading-room.png")
    save_png(finish(small_frame(400, 267, RED), (400, 267)), ex / "escaping/img/picture.png", colors=16)
    fx = ROOT / "tests/fixtures"
    save_png(finish(small_frame(64, 48, SEAT), (64, 48)), fx / "same/img/hills.png", colors=16)
    hills = finish(small_frame(64, 48, RED), (64, 48))
    save_jpeg(hills, fx / "images/hills.jpg", quality=85)
    (fx / "images").mkdir(parents=True, exist_ok=True)
    hills.save(fx / "images/hills-progressive.jpg", quality=85, progressive=True)
    hills.save(fx / "images/hills-restart.jpg", quality=85, restart_marker_blocks=1)
    for p in sorted(list(ex.rglob("img/*")) + list(fx.rglob("im*/*"))):
        print(f"{p.relative_to(ROOT)}: {p.stat().st_size} bytes")


if __name__ == "__main__":
    main()
