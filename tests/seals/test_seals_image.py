"""The seal image: a red round seal with the star, the unit's name on the arc, transparent outside."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from zhengtong.seals import image


@pytest.fixture(scope="module")
def seal():
    return Image.open(io.BytesIO(image.seal_png(name="鹤山区农业农村局", lower_text="公文专用章", size_px=400)))


def is_red(pixel) -> bool:
    r, g, b, a = pixel
    return a > 128 and r > 150 and g < 90 and b < 90


def test_png_with_transparent_background(seal):
    assert seal.format == "PNG" and seal.mode == "RGBA" and seal.size == (400, 400)
    for corner in ((0, 0), (399, 0), (0, 399), (399, 399), (200, 1), (1, 200)):
        assert seal.getpixel(corner)[3] == 0


def test_red_ring_and_star(seal):
    # the ring, at the four points of the compass
    for x, y in ((200, 9), (200, 390), (9, 200), (390, 200)):
        assert any(is_red(seal.getpixel((x + dx, y + dy))) for dx in (-2, 0, 2) for dy in (-2, 0, 2)), (x, y)
    assert is_red(seal.getpixel((200, 195)))  # the star's centre
    # inside the ring, between the star and the text: empty
    assert seal.getpixel((130, 200))[3] < 40
    colours = [p for _count, p in seal.getcolors(maxcolors=400 * 400) if p[3] > 200]
    assert colours and all(r > 150 and g < 90 and b < 90 for r, g, b, _a in colours)


def ink(picture: Image.Image, box) -> int:
    return sum(picture.crop(box).getchannel("A").histogram()[129:])


def test_name_on_the_upper_arc_and_text_below_the_star(seal):
    plain = Image.open(io.BytesIO(image.seal_png(name="", size_px=400)))
    upper = (60, 25, 340, 110)
    assert ink(seal, upper) > ink(plain, upper) + 2000  # the name is written along the top
    below = (120, 280, 280, 330)
    assert ink(seal, below) > ink(plain, below) + 500  # 公文专用章 under the star
    assert ink(plain, below) < 50


def test_same_seal_same_image_and_size():
    first = image.seal_png(name="鹤山区财政局", size_px=200)
    assert first == image.seal_png(name="鹤山区财政局", size_px=200)
    assert first != image.seal_png(name="鹤山区人民政府", size_px=200)
    assert Image.open(io.BytesIO(image.seal_png(name="鹤山区财政局", size_px=120))).size == (120, 120)


def test_a_long_name_still_fits_inside_the_ring():
    picture = Image.open(io.BytesIO(image.seal_png(name="鹤山区住房和城乡建设局建设工程质量安全监督站",
                                                   lower_text="专用章", size_px=400)))
    for corner in ((0, 0), (399, 399)):
        assert picture.getpixel(corner)[3] == 0
    assert ink(picture, (0, 0, 400, 400)) < 0.5 * 400 * 400


def test_font_is_cjk():
    from PIL import ImageFont

    assert ImageFont.truetype(image.font_file(), 50).getbbox("章")[2] > 25
