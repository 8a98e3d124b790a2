"""Sample documents for the benchmark, the docs and a look at the layout (示例公文)."""

from __future__ import annotations

import datetime

from zhengtong.documents.rendering.types import (
    BodyBlock,
    DocumentLayout,
    ProcessingSheet,
    RedHeader,
    SheetEntry,
    SheetSection,
)

PARAGRAPH = ("为深入贯彻落实党中央、国务院关于全面推进乡村振兴的决策部署，加快建设农业强区，"
             "经区政府同意，现就做好2026年冬春农田水利基本建设工作有关事项通知如下。")
SECTION_TEXT = ("各镇（街道）要把农田水利建设摆在重要位置，主要负责同志亲自抓，分管负责同志具体抓，"
                "层层落实责任，确保各项任务按时完成。要加强统筹协调，整合涉农资金，"
                "集中力量办大事，切实提高资金使用效益。")


SHORT_PARAGRAPH = "现将《鹤山区2026年冬春农田水利基本建设实施方案》印发给你们，请认真贯彻执行。"


def _sections():
    index = 0
    while True:
        yield BodyBlock(1, ["总体要求", "重点任务", "保障措施", "工作安排"][index % 4])
        yield BodyBlock(2, "加强组织领导。")
        yield BodyBlock(0, SECTION_TEXT)
        if index % 2 == 0:
            yield BodyBlock(3, "明确责任分工。")
            yield BodyBlock(4, "区农业农村局负责统筹协调。")
            yield BodyBlock(4, "各镇（街道）负责组织实施。")
        yield BodyBlock(2, "强化督促检查。")
        yield BodyBlock(0, SECTION_TEXT)
        index += 1


def sample_body(pages: int = 3) -> tuple[BodyBlock, ...]:
    """A body of headings at every level and paragraphs: with the rest of ``sample_layout``
    it makes a document of ``pages`` pages (one page is a short 印发 notice)."""
    if pages <= 1:
        return (BodyBlock(0, SHORT_PARAGRAPH),)
    sections = _sections()
    # Page one holds the 版头 and a few lines; each further page about ten blocks; the last
    # page keeps some body above the closing and the imprint.
    count = 2 if pages == 2 else 14 + 10 * (pages - 3)
    return (BodyBlock(0, PARAGRAPH), *(next(sections) for _ in range(count)))


def sample_layout(pages: int = 3, **changes) -> DocumentLayout:
    """A 通知 of the 鹤山区农业农村局 of about ``pages`` pages, with every element."""
    values = dict(
        header=RedHeader(lines=("鹤山区农业农村局",)),
        title="鹤山区农业农村局关于做好2026年冬春农田水利基本建设工作的通知",
        body=sample_body(pages),
        number="鹤农发〔2026〕12号",
        copy_number="000001",
        urgency="特急",
        main_recipients="各镇人民政府、街道办事处，区直有关单位",
        attachments=("2026年冬春农田水利基本建设任务分解表", "农田水利建设项目申报表"),
        signature_lines=("鹤山区农业农村局",),
        date=datetime.date(2026, 11, 21),
        notes="联系人：张明，电话：0750-1234567",
        cc="区委办公室，区人大常委会办公室，区政协办公室，区纪委监委，区财政局，区水利局",
        printer="鹤山区农业农村局办公室",
        print_date=datetime.date(2026, 11, 21),
    )
    if pages <= 1:  # a one-page notice: no attachments, notes or imprint
        values.update(attachments=(), notes="", cc="", printer="", print_date=None)
    values.update(changes)
    return DocumentLayout(**values)


def sample_sheet() -> ProcessingSheet:
    when = datetime.datetime(2026, 11, 21, 10, 5)
    return ProcessingSheet(
        title="发文稿纸",
        unit_name="鹤山区农业农村局",
        fields=(("文号", "鹤农发〔2026〕12号"), ("密级", "无"), ("紧急程度", "特急"),
                ("印发份数", "30"), ("标题", "关于做好2026年冬春农田水利基本建设工作的通知"),
                ("主送", "各镇人民政府、街道办事处，区直有关单位"), ("抄送", "区委办公室")),
        sections=(
            SheetSection("签发", (SheetEntry("李建国", "同意印发。", when, decision="同意"),)),
            SheetSection("会签", (SheetEntry("王芳", "无意见。", when),
                                 SheetEntry("赵强", "请补充资金来源。", when, on_behalf_of="刘洋"))),
            SheetSection("核稿", (SheetEntry("陈静", "已核。", when),)),
            SheetSection("审核", ()),
            SheetSection("拟稿", (SheetEntry("张明", "拟稿。", when),)),
        ),
        footer="鹤山区农业农村局办公室",
    )
