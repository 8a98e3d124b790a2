"""The seal's visible appearance (印模): a red round seal in the national style.

国发〔1999〕25号《国务院关于国家行政机关和企业事业单位社会团体印章管理的规定》: a round seal with
a five-pointed star in the centre, the unit's name around it from the left, clockwise, in Song
type (宋体), optionally a line of text (e.g. 公文专用章) set horizontally below the star. Drawn
at four times the size and scaled down for smooth edges; the background is transparent so the
seal sits on the page like ink.
"""

from __future__ import annotations

import functools
import io
import math
import subprocess
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

# 印章红: the red of official seal ink.
SEAL_RED = (218, 37, 29)
OVERSAMPLE = 4

# Proportions of a 42 mm seal (the size for units below the provincial level), as fractions of
# the outer radius: ring 1.2 mm, star 14 mm across, name 6.5 mm high.
RING_WIDTH = 0.057
STAR_RADIUS = 0.33
TEXT_HEIGHT = 0.30
TEXT_GAP = 0.055  # between the ring and the name
LOWER_HEIGHT = 0.17
LOWER_Y = 0.56  # centre of the text below the star, below the centre
# Song type with a heavy stroke, as seal engravers cut it; Noto CJK when Fandol is missing.
FONT_FILES = ("FandolSong-Bold.otf",)
FONT_PATTERNS = ("FandolSong:bold", "Noto Serif CJK SC:bold", "Noto Sans CJK SC:bold", "AR PL SungtiL GB",
                 ":lang=zh")


@functools.cache
def font_file() -> str:
    """A CJK font file for the seal's text: bold Fandol Song, else what fontconfig finds."""
    from zhengtong.documents.rendering.fonts import FANDOL_DIRECTORIES

    for directory in FANDOL_DIRECTORIES:
        for name in FONT_FILES:
            if (Path(directory) / name).is_file():
                return str(Path(directory) / name)
    for pattern in FONT_PATTERNS:
        try:
            found = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True,
                                   timeout=10, check=False).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            break
        if found and Path(found).is_file() and _has_cjk(found):
            return found
    raise RuntimeError("No CJK font found for the seal image: install fonts-noto-cjk or texlive-lang-chinese.")


def _has_cjk(path: str) -> bool:
    try:
        font = ImageFont.truetype(path, 40)
        return font.getbbox("国")[2] > 20
    except OSError:
        return False


@functools.lru_cache(maxsize=64)
def _font(pixels: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_file(), pixels)


def _glyph(char: str, height: int, width: int) -> Image.Image:
    """One character as a white-on-transparent mask ``width`` × ``height``: the font's em square
    fitted to the cell's height and squeezed to its width, like the tall characters cut in seals."""
    font = _font(height)
    square = Image.new("L", (height * 2, height * 2), 0)
    ImageDraw.Draw(square).text((height, height), char, font=font, fill=255, anchor="mm")
    square = square.crop((height // 2, height // 2, height // 2 + height, height // 2 + height))
    return square.resize((width, height), Image.LANCZOS)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, radius: float) -> None:
    inner = radius * math.sin(math.radians(18)) / math.sin(math.radians(126))  # a regular pentagram
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else inner
        angle = math.radians(-90 + i * 36)
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=255)


def _arc_span(count: int) -> float:
    """Degrees covered by the name: longer names go further round, leaving a gap at the bottom."""
    if count <= 1:
        return 0.0
    return min(290.0, max(150.0, 21.0 * count + 20.0))


def seal_png(*, name: str, lower_text: str = "", size_px: int = 600) -> bytes:
    """The seal image as PNG bytes: red ring, star, ``name`` on the upper arc clockwise from the
    left, ``lower_text`` horizontally below the star; transparent background."""
    return _seal_png("".join((name or "").split()), "".join((lower_text or "").split()),
                     max(64, min(int(size_px), 4000)))


@functools.lru_cache(maxsize=32)
def _seal_png(name: str, lower_text: str, size_px: int) -> bytes:
    big = size_px * OVERSAMPLE
    mask = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(mask)
    c = big / 2
    radius = big / 2 * 0.97
    ring = radius * RING_WIDTH
    draw.ellipse((c - radius, c - radius, c + radius, c + radius), fill=255)
    draw.ellipse((c - radius + ring, c - radius + ring, c + radius - ring, c + radius - ring), fill=0)
    _star(draw, c, c - radius * 0.02, radius * STAR_RADIUS)

    count = len(name)
    if count:
        span = _arc_span(count)
        step = span / (count - 1) if count > 1 else 0.0
        # Characters as tall as fits; narrower when many share the arc.
        height = round(radius * TEXT_HEIGHT * (1.0 if count <= 14 else max(0.72, 14 / count)))
        arc_room = math.radians(step) * radius * (1 - RING_WIDTH - TEXT_GAP - TEXT_HEIGHT / 2) if count > 1 else height
        width = max(8, round(min(height * 0.9, arc_room * 0.88)))
        # The characters' outer edge keeps a small gap from the ring.
        text_radius = radius * (1 - RING_WIDTH - TEXT_GAP) - height / 2
        for index, char in enumerate(name):
            theta = -span / 2 + index * step  # degrees clockwise from 12 o'clock
            glyph = _glyph(char, height, width).rotate(-theta, resample=Image.BICUBIC, expand=True)
            x = c + text_radius * math.sin(math.radians(theta))
            y = c - text_radius * math.cos(math.radians(theta))
            mask.paste(255, (round(x - glyph.width / 2), round(y - glyph.height / 2)), glyph)
    if lower_text:
        height = round(radius * LOWER_HEIGHT)
        room = radius * 1.0  # the chord below the star
        width = max(8, round(min(height * 0.85, room / len(lower_text))))
        total = width * len(lower_text)
        y = c + radius * LOWER_Y - height / 2
        for index, char in enumerate(lower_text):
            glyph = _glyph(char, height, width)
            mask.paste(255, (round(c - total / 2 + index * width), round(y)), glyph)

    mask = mask.resize((size_px, size_px), Image.LANCZOS)
    mask = _ink(mask)
    image = Image.new("RGBA", (size_px, size_px), SEAL_RED + (0,))
    image.putalpha(mask)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _ink(mask: Image.Image) -> Image.Image:
    """Ink that is a little uneven, as stamped seals are: a soft, fixed grain (same seal, same image)."""
    import random

    rng = random.Random(20260101 + mask.size[0])
    size = max(8, mask.size[0] // 6)
    grain = Image.new("L", (size, size))
    grain.putdata([rng.randint(205, 255) for _ in range(size * size)])
    grain = grain.resize(mask.size, Image.BICUBIC).filter(ImageFilter.GaussianBlur(1))
    return ImageChops.multiply(mask, grain)
