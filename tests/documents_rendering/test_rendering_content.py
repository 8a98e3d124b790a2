"""What the renderers print: headers, numbering, escaping, fonts, the processing sheet."""

import datetime
import subprocess
import tempfile

import pytest

from zhengtong.documents.rendering import (
    BodyBlock,
    ClassifiedDocumentRefused,
    DocumentLayout,
    ProcessingSheet,
    RedHeader,
    SheetEntry,
    SheetSection,
    document_html,
    font_report,
    render_document,
    render_document_with_anchors,
    render_processing_sheet,
)
from zhengtong.documents.rendering.layout import (
    chinese_date,
    chinese_numeral,
    number_headings,
    split_title,
    text_width,
)
from zhengtong.documents.rendering.pdf import LocalFontFetcher
from zhengtong.documents.rendering.samples import sample_layout, sample_sheet

from .pdfmeasure import lines_of, page_count

LINE = 225 / 22
PITCH = 156 / 28


def pdffonts(pdf: bytes) -> list[list[str]]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        output = subprocess.run(["pdffonts", file.name], capture_output=True, text=True,
                                check=True).stdout
    return [row.split() for row in output.splitlines()[2:] if row.strip()]


@pytest.fixture(scope="module")
def joint():
    layout = sample_layout(
        1, header=RedHeader(lines=("中共鹤山区委办公室", "鹤山区人民政府办公室")),
        signature_lines=("中共鹤山区委办公室", "鹤山区人民政府办公室"),
        number="鹤委办发〔2026〕3号", copy_number="", urgency="", classification="内部")
    rendered = render_document_with_anchors(layout)
    return rendered, lines_of(rendered.pdf)


@pytest.fixture(scope="module")
def upward():
    layout = sample_layout(
        1, upward=True, signers=("李建国", "王芳", "赵强"), main_recipients="区人民政府",
        title="鹤山区农业农村局关于2026年冬春农田水利基本建设工作情况的报告", seal_space=False)
    pdf = render_document(layout)
    return pdf, lines_of(pdf)


def test_a_joint_header_stacks_the_names_with_the_suffix_centred_to_their_right(joint):
    _rendered, lines = joint
    first = next(line for line in lines if line.text.replace(" ", "") == "中共鹤山区委办公室")
    second = next(line for line in lines if line.text.replace(" ", "") == "鹤山区人民政府办公室")
    suffix = next(line for line in lines if line.text == "文件" and line.page == 1)
    assert first.page == second.page == 1
    assert second.top > first.bottom - 1  # stacked, first name on top
    assert first.x0 == pytest.approx(second.x0, abs=0.5)  # the names are set to one width
    assert first.x1 == pytest.approx(second.x1, abs=0.5)
    assert suffix.x0 > second.x1
    assert suffix.middle == pytest.approx((first.top + second.bottom) / 2, abs=2)
    assert min(first.x0, suffix.x0) >= 28 - 0.5 and suffix.x1 <= 184 + 0.5
    assert first.chars[0]["non_stroking_color"][0] > 0.8  # red


def test_joint_sealed_signatures_stand_side_by_side_with_a_seal_each(joint):
    rendered, lines = joint
    assert len(rendered.seal_boxes) == 2
    left, right = rendered.seal_boxes
    assert left.page == right.page and left.y == pytest.approx(right.y)
    assert left.x + left.size < right.x  # the seals do not touch
    pt = 72 / 25.4
    assert left.x / pt >= 28 - 0.01 and (right.x + right.size) / pt <= 184 + 0.01
    date = next(line for line in lines if line.text == "2026年11月21日")
    assert right.x / pt < date.x0 and date.x1 < (right.x + right.size) / pt


def test_the_internal_marking_is_printed_where_the_classification_goes(joint):
    _rendered, lines = joint
    first = next(line for line in lines if line.page == 1)
    assert first.text == "内部"
    assert first.middle - LINE / 2 == pytest.approx(37, abs=1)
    assert first.x0 == pytest.approx(28, abs=0.5)


def test_an_upward_document_prints_the_signers_on_the_number_line(upward):
    _pdf, lines = upward
    label = next(line for line in lines if "签发人：" in line.text)
    assert label.text.startswith("签发人：李建国")
    assert "王芳" in label.text
    number = next(line for line in lines if "鹤农发〔2026〕12号" in line.text)
    # three signers: two on the first line, the third below the first name, with the number
    assert "赵强" in number.text
    assert number.top - label.top == pytest.approx(LINE, abs=0.1)
    assert number.x0 == pytest.approx(28 + PITCH, abs=0.5)  # left with one character
    assert 184 - label.x1 == pytest.approx(PITCH, abs=1)  # right with one character
    signer_fonts = {c["fontname"] for c in label.chars if c["text"] in "李建国王芳"}
    label_fonts = {c["fontname"] for c in label.chars if c["text"] in "签发人"}
    assert signer_fonts and label_fonts and not signer_fonts & label_fonts  # 楷体 vs 仿宋


def test_without_a_seal_the_signature_is_right_with_two_characters_and_the_date_below(upward):
    pdf, lines = upward
    date = next(line for line in lines if line.text == "2026年11月21日")
    signature = lines[lines.index(date) - 1]
    assert signature.text == "鹤山区农业农村局"
    assert date.x0 - signature.x0 == pytest.approx(2 * PITCH, abs=0.5) or \
        184 - date.x1 == pytest.approx(2 * PITCH, abs=1)
    assert 184 - max(date.x1, signature.x1) == pytest.approx(2 * PITCH, abs=1)
    assert render_document_with_anchors(sample_layout(1, seal_space=False)).seal_boxes == ()


def test_heading_numbers_restart_under_each_higher_heading():
    levels = [1, 2, 2, 3, 4, 4, 3, 4, 0, 2, 1, 2, 3, 4, 1, 3]
    assert number_headings(levels) == [
        "一、", "（一）", "（二）", "1.", "（1）", "（2）", "2.", "（1）", "", "（三）",
        "二、", "（一）", "1.", "（1）", "三、", "1."]
    assert [chinese_numeral(n) for n in (1, 9, 10, 11, 20, 21, 99, 100, 105, 110)] == [
        "一", "九", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十"]


def test_headings_are_numbered_in_the_pdf_in_their_standard_typefaces():
    body = (BodyBlock(1, "总体要求"), BodyBlock(2, "工作目标"), BodyBlock(3, "第一项"),
            BodyBlock(4, "细目"), BodyBlock(4, "细目"), BodyBlock(2, "基本原则"),
            BodyBlock(1, "重点任务"), BodyBlock(2, "加强领导"), BodyBlock(0, "正文段落。"))
    pdf = render_document(sample_layout(1, body=body, attachments=(), cc=""))
    lines = lines_of(pdf)
    texts = [line.text for line in lines]
    expected = ["一、总体要求", "（一）工作目标", "1.第一项", "（1）细目", "（2）细目",
                "（二）基本原则", "二、重点任务", "（一）加强领导"]
    found = [text for text in texts if text in expected]
    assert found == expected
    fonts = {line.text: line.fonts for line in lines if line.text in expected}
    body_font = next(line.fonts for line in lines if line.text == "正文段落。")
    assert fonts["一、总体要求"] != body_font and fonts["（一）工作目标"] != body_font
    assert fonts["一、总体要求"] != fonts["（一）工作目标"]
    assert fonts["1.第一项"] == fonts["（1）细目"] == body_font


def test_a_level_outside_0_to_4_is_rejected():
    with pytest.raises(ValueError):
        document_html(sample_layout(1, body=(BodyBlock(5, "x"),)))


def test_user_text_is_escaped_and_printed_literally():
    hostile = '<script>alert("x")</script> & <img src="http://example.com/x.png">'
    layout = sample_layout(1, title=hostile, body=(BodyBlock(0, hostile),),
                           main_recipients="A & B", cc="<b>区委</b>", attachments=(hostile,))
    html = document_html(layout)
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "A &amp; B" in html
    text = "".join(line.text for line in lines_of(render_document(layout)))
    assert '<script>alert("x")</script>' in text
    assert "A & B" in text
    assert "<b>区委</b>" in text


def test_nothing_but_the_installed_fonts_can_be_fetched():
    fetcher = LocalFontFetcher(allowed_protocols=("file",))
    with pytest.raises(ValueError):
        fetcher.fetch("http://example.com/font.otf")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")


def test_classified_documents_are_refused():
    with pytest.raises(ClassifiedDocumentRefused):
        render_document(sample_layout(1, classification="机密", secrecy_period="1年"))


def test_all_fonts_are_embedded_and_subset(three_pages):
    rendered, _lines = three_pages
    rows = pdffonts(rendered.pdf)
    assert len(rows) >= 4  # 仿宋, 小标宋, 黑体, 楷体 (and 宋体 for the page numbers)
    for row in rows:
        emb, sub = row[-5], row[-4]
        assert (emb, sub) == ("yes", "yes"), row
    names = " ".join(row[0] for row in rows)
    report = font_report()
    assert report["fangsong"].replace(" ", "") in names.replace(" ", "") or \
        report["fangsong"].startswith("Noto")


def test_font_report_names_a_family_for_every_role():
    report = font_report()
    assert set(report) == {"fangsong", "xiaobiaosong", "heiti", "kaiti", "songti"}
    assert all(report.values())


def test_the_imprint_moves_to_a_new_page_when_the_last_page_is_full():
    """Grow the body a line at a time until the imprint no longer fits below the closing."""
    for count in range(1, 30):
        body = (BodyBlock(0, "正" * 26),) * count
        pdf = render_document(sample_layout(3, body=body, attachments=(), notes=""))
        lines = lines_of(pdf)
        last = page_count(pdf)
        if last > 1 and not [line for line in lines if line.page == last and line.size > 15]:
            on_last = [line.text for line in lines if line.page == last]
            assert on_last[0] == "抄送：区委办公室，区人大常委会办公室，区政协办公室，区纪委"
            assert on_last[2].endswith("印发")
            assert any(line.text == "2026年11月21日" for line in lines if line.page == last - 1)
            # a page that holds only the imprint carries no page number (GB/T 9704 7.5)
            numbers = [line.text for line in lines if line.text.startswith("— ")]
            assert numbers == [f"— {n} —" for n in range(1, last)]
            return
    pytest.fail("the imprint never needed a page of its own")


def test_titles_break_into_a_trapezoid_without_splitting_words():
    lines = split_title("鹤山区农业农村局关于做好2026年冬春农田水利基本建设工作的通知")
    assert "".join(lines) == "鹤山区农业农村局关于做好2026年冬春农田水利基本建设工作的通知"
    assert len(lines) == 2 and all(text_width(line) <= 20 for line in lines)
    assert text_width(lines[0]) != text_width(lines[1])
    assert not any(line.startswith("年") for line in lines)
    joint = split_title("中共鹤山区委办公室 鹤山区人民政府办公室关于进一步加强和改进信访工作的实施意见")
    assert joint[0] in ("中共鹤山区委办公室", "中共鹤山区委办公室 鹤山区人民政府办公室")
    assert split_title("关于召开全区安全生产工作会议的通知") == ["关于召开全区安全生产工作会议的通知"]
    assert split_title("第一行\n第二行很长") == ["第一行", "第二行很长"]


def test_dates_use_arabic_numerals_without_leading_zeros():
    assert chinese_date(datetime.date(2026, 1, 5)) == "2026年1月5日"


def test_the_processing_sheet_prints_every_field_and_entry():
    sheet = sample_sheet()
    pdf = render_processing_sheet(sheet)
    text = "".join(line.text for line in lines_of(pdf))
    assert "鹤山区农业农村局发文稿纸" in text
    for label, value in sheet.fields:
        assert label in text and value in text
    for section in sheet.sections:
        assert section.label in text
        for entry in section.entries:
            assert entry.person in text and entry.opinion in text
            assert "2026年11月21日 10:05".replace(" ", "") in text.replace(" ", "")
    assert "刘洋" in text  # on behalf of
    assert "同意" in text  # the decision
    assert page_count(pdf) == 1


def test_the_processing_sheet_escapes_and_runs_onto_more_pages_when_long():
    entries = tuple(SheetEntry(f"人员{n}", f"意见 <b>{n}</b> & 更多", datetime.datetime(
        2026, 11, 21, 9, n)) for n in range(40))
    sheet = ProcessingSheet(title="收文处理单", unit_name="鹤山区人民政府办公室",
                            fields=(("来文单位", "市政府办公室"), ("文号", "市府办〔2026〕8号")),
                            sections=(SheetSection("传阅", entries),))
    pdf = render_processing_sheet(sheet)
    text = "".join(line.text for line in lines_of(pdf))
    assert page_count(pdf) >= 2
    for n in range(40):
        assert f"人员{n}" in text and f"意见<b>{n}</b>&更多" in text.replace(" ", "")


def test_a_long_authority_name_is_shrunk_to_fit_the_text_area():
    name = "鹤山区人民政府防汛防旱防风防冻指挥部办公室"
    pdf = render_document(sample_layout(1, header=RedHeader(lines=(name,))))
    mark = next(line for line in lines_of(pdf) if line.text == name + "文件")
    assert 28 - 0.5 <= mark.x0 and mark.x1 <= 184 + 0.5


def test_long_unbroken_latin_text_stays_inside_the_text_area():
    url = "https://www.heshan.gov.cn/" + "a" * 120
    pdf = render_document(sample_layout(1, body=(BodyBlock(0, url),)))
    lines = [line for line in lines_of(pdf) if "aaaa" in line.text]
    assert len(lines) >= 2
    assert all(line.x1 <= 184 + 0.5 for line in lines)


def test_without_the_fandol_fonts_noto_cjk_is_used(monkeypatch):
    from zhengtong.documents.rendering import fonts

    monkeypatch.setattr(fonts, "FANDOL_DIRECTORIES", ())
    fonts.resolve_fonts.cache_clear()
    try:
        report = font_report()
        pdf = render_document(sample_layout(1))
    finally:
        monkeypatch.undo()
        fonts.resolve_fonts.cache_clear()
    if report["fangsong"] not in ("FandolFang", "Noto Serif CJK SC"):
        pytest.skip(f"this host has a real 仿宋: {report['fangsong']}")
    assert report["fangsong"] == "Noto Serif CJK SC"
    names = [row[0].split("+")[-1] for row in pdffonts(pdf)]
    assert any(name.replace("-", "").startswith("NotoSerifCJK") for name in names), names
    assert "鹤农发〔2026〕12号" in [line.text for line in lines_of(pdf)]


def test_attachments_are_numbered_once_and_aligned_under_the_first_name():
    layout = sample_layout(1, attachments=("1.统计表", "2. 说明", "2026年冬春任务分解表"))
    lines = lines_of(render_document(layout))
    rows = [line for line in lines if line.text.startswith(("附件：", "2.", "3."))]
    assert [row.text for row in rows] == ["附件：1.统计表", "2.说明", "3.2026年冬春任务分解表"]
    assert rows[0].x0 == pytest.approx(28 + 2 * PITCH, abs=0.3)  # two characters in
    names_x = [row.chars[2 if i else 5]["x0"] / (72 / 25.4) for i, row in enumerate(rows)]
    assert max(names_x) - min(names_x) < 0.3  # every name starts at the same place
    single = lines_of(render_document(sample_layout(1, attachments=("统计表",))))
    assert "附件：统计表" in [line.text for line in single]


def test_warm_up_renders_without_error():
    from zhengtong.documents.rendering import warm_up

    warm_up()
    assert font_report()["fangsong"]


def test_the_processing_sheet_draws_a_ruled_box_for_every_row():
    from .pdfmeasure import dark_runs

    sheet = sample_sheet()
    pdf = render_processing_sheet(sheet)
    lines = lines_of(pdf)
    first = next(line for line in lines if line.text.startswith("文号"))
    last = next(line for line in lines if line.text.startswith("拟稿"))
    # a column through the label cells, left of any text (the page margin is 18 mm, the labels
    # are centred): one rule above and below each row
    x = 20
    footer = next(line for line in lines if line.text == sheet.footer)
    assert all(line.x0 > x + 1 for line in lines if line.top < footer.top)
    runs = dark_runs(pdf, 1, x, first.top - 12, footer.top - 0.5, dpi=300)
    rows = 5 + len(sheet.sections)  # seven fields make five rows (the long ones span the width)
    assert len(runs) == rows + 1, runs
    labels = [next(line for line in lines if line.text.startswith(section.label))
              for section in sheet.sections]
    for label in labels:  # each section's label sits between two rules
        assert any(top < label.top for top, _ in runs) and any(top > label.bottom for top, _ in runs)
