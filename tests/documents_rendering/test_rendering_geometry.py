"""GB/T 9704-2012 geometry measured on real PDFs: margins, the 22 × 28 grid, 版头, page numbers."""

import pytest

from zhengtong.documents.rendering import layout as g

from .pdfmeasure import dark_runs, rects_of

BODY = 16.0  # 3号, points
LINE = 225 / 22


def body_lines(lines, page):
    return [line for line in lines if line.page == page and abs(line.size - BODY) < 0.1]


def test_flush_left_lines_start_at_the_28_mm_binding_margin(long_paragraph):
    _pdf, lines = long_paragraph
    page_two = body_lines(lines, 2)
    assert page_two, "the paragraph runs onto page 2"
    for line in page_two:
        assert line.x0 == pytest.approx(28, abs=1)


def test_first_line_of_the_text_area_is_at_37_mm(long_paragraph):
    _pdf, lines = long_paragraph
    first = body_lines(lines, 2)[0]
    # The character box is centred in its grid line; the line's top is the 版心's top edge.
    assert first.middle - LINE / 2 == pytest.approx(37, abs=1)
    assert first.top > 37 - 1


def test_a_full_line_holds_exactly_28_characters_and_ends_at_184_mm(long_paragraph):
    _pdf, lines = long_paragraph
    for line in body_lines(lines, 2):
        assert len(line.text) == 28, line.text
        assert line.x1 == pytest.approx(184, abs=1)


def test_the_first_line_of_a_paragraph_is_indented_two_characters(long_paragraph):
    _pdf, lines = long_paragraph
    first = next(line for line in lines if line.text.startswith("为深入"))
    assert first.x0 == pytest.approx(28 + 2 * 156 / 28, abs=0.5)
    assert len(first.text) == 26


def test_a_full_page_of_body_holds_exactly_22_lines(long_paragraph):
    _pdf, lines = long_paragraph
    page_two = body_lines(lines, 2)
    assert len(page_two) == 22
    pitches = [b.top - a.top for a, b in zip(page_two, page_two[1:])]
    assert all(pitch == pytest.approx(LINE, abs=0.05) for pitch in pitches)
    assert page_two[-1].bottom < 37 + 225


def test_number_and_title_are_extractable_text(three_pages):
    _rendered, lines = three_pages
    texts = [line.text for line in lines if line.page == 1]
    assert "鹤农发〔2026〕12号" in texts
    title = "".join(line.text for line in lines if line.page == 1 and abs(line.size - 22) < 0.1)
    assert title == "鹤山区农业农村局关于做好2026年冬春农田水利基本建设工作的通知"


def test_the_title_is_centred_in_22_point_type_on_several_lines(three_pages):
    _rendered, lines = three_pages
    title = [line for line in lines if line.page == 1 and abs(line.size - 22) < 0.1]
    assert len(title) == 2
    for line in title:
        assert (line.x0 + line.x1) / 2 == pytest.approx(28 + 156 / 2, abs=1)
    assert len(title[0].text) != len(title[1].text)  # a trapezoid, not a rectangle


def test_the_header_mark_is_red_centred_and_35_mm_below_the_text_area_top(three_pages):
    rendered, lines = three_pages
    mark = next(line for line in lines if line.text == "鹤山区农业农村局文件")
    assert mark.top == pytest.approx(37 + 35, abs=1)
    assert (mark.x0 + mark.x1) / 2 == pytest.approx(106, abs=1)
    assert mark.x1 - mark.x0 <= 156
    color = mark.chars[0]["non_stroking_color"]
    assert color[0] > 0.8 and color[1] < 0.2 and color[2] < 0.2


def test_the_red_rule_is_red_the_width_of_the_text_area_and_4_mm_below_the_number(three_pages):
    rendered, lines = three_pages
    number = next(line for line in lines if line.text == "鹤农发〔2026〕12号")
    red = [rect for rect in rects_of(rendered.pdf, 1)
           if rect["non_stroking_color"] and len(rect["non_stroking_color"]) == 3
           and rect["non_stroking_color"][0] > 0.8 and rect["non_stroking_color"][1] < 0.2]
    assert len(red) == 1
    rule = red[0]
    assert rule["x0"] == pytest.approx(28, abs=0.2)
    assert rule["x1"] == pytest.approx(184, abs=0.2)
    assert rule["top"] - number.bottom == pytest.approx(4, abs=0.5)
    # and it is really drawn there: a dark run in a rasterised column through it
    runs = dark_runs(rendered.pdf, 1, 50, number.bottom + 1, number.bottom + 8)
    assert any(abs(top - rule["top"]) < 0.2 for top, _bottom in runs)


def test_the_title_is_two_lines_below_the_red_rule(three_pages):
    rendered, lines = three_pages
    rule_top = next(rect["top"] for rect in rects_of(rendered.pdf, 1)
                    if rect["non_stroking_color"] and rect["non_stroking_color"][0] > 0.8)
    title = next(line for line in lines if line.page == 1 and abs(line.size - 22) < 0.1)
    assert 2 * LINE <= title.top - rule_top <= 3.5 * LINE


def test_page_numbers_alternate_sides_7_mm_below_the_text_area(three_pages):
    rendered, lines = three_pages
    numbers = [line for line in lines if line.text.startswith("—") and line.text.endswith("—")]
    assert [line.text for line in numbers] == [
        f"— {n} —" for n in range(1, rendered.page_count + 1)]
    one_character = 14 * 25.4 / 72
    for line in numbers:
        assert line.size == pytest.approx(14, abs=0.1)
        assert line.middle - (37 + 225) == pytest.approx(7, abs=1)
        if line.page % 2:
            assert 184 - line.x1 == pytest.approx(one_character, abs=1)
        else:
            assert line.x0 - 28 == pytest.approx(one_character, abs=1)


def test_the_imprint_sits_on_the_last_lines_of_the_last_page(three_pages):
    rendered, lines = three_pages
    last = rendered.page_count
    imprint = [line for line in lines if "抄送：" in line.text or line.text.endswith("印发")]
    assert {line.page for line in imprint} == {last}
    printed = next(line for line in imprint if line.text.endswith("印发"))
    assert printed.text.startswith("鹤山区农业农村局办公室")
    assert printed.text.endswith("2026年11月21日印发")
    assert printed.middle == pytest.approx(37 + 225 - LINE / 2, abs=1)
    assert printed.x0 - 28 == pytest.approx(14 * 25.4 / 72, abs=0.5)  # one character in
    assert 184 - printed.x1 == pytest.approx(14 * 25.4 / 72, abs=0.5)
    cc = next(line for line in imprint if line.text.startswith("抄送："))
    assert cc.size == pytest.approx(14, abs=0.1)
    continuation = lines[lines.index(cc) + 1]
    assert continuation.text.endswith("。")
    assert continuation.x0 == pytest.approx(cc.chars[3]["x0"] / (72 / 25.4), abs=0.3)
    # Rules: thick (0.35 mm) first and last, thin (0.25 mm) between, the last on the 版心 edge.
    runs = dark_runs(rendered.pdf, last, 182, cc.top - 5, 37 + 225 + 1)
    thickness = [round(bottom - top, 2) for top, bottom in runs]
    assert len(runs) == 3, runs
    assert thickness[0] == pytest.approx(0.35, abs=0.08)
    assert thickness[1] == pytest.approx(0.25, abs=0.08)
    assert thickness[2] == pytest.approx(0.35, abs=0.08)
    assert runs[2][1] == pytest.approx(37 + 225, abs=0.2)
    assert all(line.page == last and line.bottom < runs[0][0] for line in lines
               if line.page == last and "附注" not in line.text and line.top < cc.top - 2)


def test_the_date_has_four_characters_of_space_and_the_signature_is_centred_over_it(three_pages):
    rendered, lines = three_pages
    date = next(line for line in lines if line.text == "2026年11月21日")
    signature = lines[lines.index(date) - 1]
    assert signature.text == "鹤山区农业农村局"
    assert 184 - date.x1 == pytest.approx(4 * 156 / 28, abs=1)
    assert (signature.x0 + signature.x1) / 2 == pytest.approx((date.x0 + date.x1) / 2, abs=1)
    notes = lines[lines.index(date) + 1]
    assert notes.text.startswith("（联系人") and notes.text.endswith("）")
    assert notes.top - date.top == pytest.approx(LINE, abs=0.1)


def test_the_seal_box_covers_the_signature_and_date_within_a_line_of_the_body(three_pages):
    rendered, lines = three_pages
    (seal,) = rendered.seal_boxes
    assert seal.page == rendered.page_count
    pt = 72 / 25.4
    seal_top = 297 - (seal.y + seal.size) / pt
    seal_left, seal_right = seal.x / pt, (seal.x + seal.size) / pt
    date = next(line for line in lines if line.text == "2026年11月21日")
    above = [line for line in lines if line.page == seal.page and line.bottom < seal_top + 1]
    assert seal_top - above[-1].bottom < LINE
    assert seal_left < date.x0 and date.x1 < seal_right
    assert seal_top < date.top and date.bottom < seal_top + seal.size / pt
    assert seal.size / pt == pytest.approx(g.SEAL_DIAMETER)
