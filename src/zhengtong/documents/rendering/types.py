"""The data the renderers take: plain frozen dataclasses, no models (公文版式数据)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class BodyBlock:
    """One paragraph (level 0) or heading of the body (正文).

    Headings are numbered at render time: level 1 "一、", 2 "（一）", 3 "1.", 4 "（1）"; the
    counter of a level restarts under each higher-level heading (GB/T 9704-2012 7.3.3).
    """

    level: int
    text: str


@dataclass(frozen=True)
class RedHeader:
    """发文机关标志: authority names plus a suffix such as "文件", printed in red.

    Several names make a joint header (联合行文): the names are stacked and the suffix is
    printed once to their right, centred vertically. The suffix may be empty (函, 纪要).
    """

    lines: tuple[str, ...]
    suffix: str = "文件"
    color: str = "#E60012"


@dataclass(frozen=True)
class DocumentLayout:
    """The elements of an official document (公文要素) in the order GB/T 9704 prints them."""

    header: RedHeader
    title: str
    body: tuple[BodyBlock, ...]
    number: str = ""  # 发文字号, e.g. 鹤农发〔2026〕12号
    copy_number: str = ""  # 份号, six digits
    classification: str = ""  # 密级: only 内部 or nothing (classified documents are refused)
    secrecy_period: str = ""  # 保密期限
    urgency: str = ""  # 紧急程度: 特急 or 加急
    signers: tuple[str, ...] = ()  # 签发人, printed for upward documents (上行文)
    main_recipients: str = ""  # 主送机关
    attachments: tuple[str, ...] = ()  # 附件说明: attachment names
    signature_lines: tuple[str, ...] = ()  # 发文机关署名
    date: datetime.date | None = None  # 成文日期
    seal_space: bool = True  # leave room for the seal (加盖印章的公文)
    notes: str = ""  # 附注
    cc: str = ""  # 抄送机关
    printer: str = ""  # 印发机关
    print_date: datetime.date | None = None  # 印发日期
    upward: bool = False  # 上行文: 发文字号 left and 签发人 right


@dataclass(frozen=True)
class SheetEntry:
    """One opinion on a processing sheet: who, what, when, and for whom."""

    person: str
    opinion: str
    time: datetime.datetime | None
    on_behalf_of: str = ""
    decision: str = ""


@dataclass(frozen=True)
class SheetSection:
    """One boxed row of a processing sheet (签发, 会签, 拟办意见, 领导批示 …)."""

    label: str
    entries: tuple[SheetEntry, ...]


@dataclass(frozen=True)
class ProcessingSheet:
    """发文稿纸 or 收文处理单: fields at the top, then one box per section."""

    title: str
    unit_name: str
    fields: tuple[tuple[str, str], ...]
    sections: tuple[SheetSection, ...]
    footer: str = ""


@dataclass(frozen=True)
class SealBox:
    """Where the seal goes: page (1-based) and a square in PDF points, origin bottom left."""

    page: int
    x: float
    y: float
    size: float


@dataclass(frozen=True)
class RenderedDocument:
    """A rendered PDF and the seal positions, for the seals app to stamp later."""

    pdf: bytes
    page_count: int
    seal_boxes: tuple[SealBox, ...]
