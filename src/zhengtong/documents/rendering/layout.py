"""GB/T 9704-2012 geometry and the text rules of the standard (版式与编排规则).

All lengths are millimetres. The page is A4 with a 156 × 225 mm 版心; the body is set on a grid
of 22 lines of 28 characters of 3号仿宋 (16 pt), as a word processor's "document grid" does.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata

PT = 25.4 / 72  # one point in millimetres

PAGE_WIDTH = 210.0
PAGE_HEIGHT = 297.0
MARGIN_TOP = 37.0  # 天头
MARGIN_LEFT = 28.0  # 订口
TEXT_WIDTH = 156.0
TEXT_HEIGHT = 225.0
MARGIN_RIGHT = PAGE_WIDTH - MARGIN_LEFT - TEXT_WIDTH  # 26
MARGIN_BOTTOM = PAGE_HEIGHT - MARGIN_TOP - TEXT_HEIGHT  # 35

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE = TEXT_HEIGHT / LINES_PER_PAGE  # line pitch, 10.227 mm
PITCH = TEXT_WIDTH / CHARS_PER_LINE  # character pitch, 5.571 mm

BODY_SIZE_PT = 16  # 3号
TITLE_SIZE_PT = 22  # 2号
SMALL_SIZE_PT = 14  # 4号: 版记 and 页码
# Letter spacing that makes 28 full-width 16 pt characters fill the 156 mm line. A hair less,
# so rounding never pushes the 28th character onto the next line.
BODY_LETTER_SPACING = PITCH - BODY_SIZE_PT * PT - 0.0005
GRID_LINE_HEIGHT = LINE - 0.0005

# 版头
HEADER_MARK_TOP = 35.0  # 发文机关标志 top edge below the 版心 top edge (7.2.4)
HEADER_MARK_MAX_CHAR = 15.0  # widest character of the 发文机关标志
HEADER_MARK_STRETCH = 1.35  # the mark is drawn taller than wide, like printed 红头
RED_RULE_GAP = 4.0  # red rule 4 mm below the 发文字号 (7.2.6)
RED_RULE_THICKNESS = 0.75
# 版记 rules (7.4.1)
THICK_RULE = 0.35
THIN_RULE = 0.25
# 页码: the dashes 7 mm below the 版心 (7.5)
PAGE_NUMBER_GAP = 7.0
SEAL_DIAMETER = 42.0

CLASSIFIED_LEVELS = ("秘密", "机密", "绝密")

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五."""
    if number <= 0:
        raise ValueError(number)
    if number < 10:
        return _DIGITS[number]
    if number < 20:
        return "十" + (_DIGITS[number % 10] if number % 10 else "")
    if number < 100:
        tens, units = divmod(number, 10)
        return _DIGITS[tens] + "十" + (_DIGITS[units] if units else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        if not rest:
            return _DIGITS[hundreds] + "百"
        middle = "零" if rest < 10 else ""
        tail = chinese_numeral(rest) if rest >= 20 or rest < 10 else "一" + chinese_numeral(rest)
        return _DIGITS[hundreds] + "百" + middle + tail
    return str(number)


def heading_label(level: int, number: int) -> str:
    """The number printed before a heading of ``level`` (GB/T 9704-2012 7.3.3).

    These marks are part of the document, not the interface: they are never translated.
    """
    if level == 1:
        return f"{chinese_numeral(number)}、"
    if level == 2:
        return f"（{chinese_numeral(number)}）"
    if level == 3:
        return f"{number}."
    if level == 4:
        return f"（{number}）"
    raise ValueError(level)


def number_headings(levels) -> list[str]:
    """Labels for a sequence of block levels; counters restart under a higher heading."""
    counters = [0] * 5
    labels = []
    for level in levels:
        if level == 0:
            labels.append("")
            continue
        counters[level] += 1
        for lower in range(level + 1, 5):
            counters[lower] = 0
        labels.append(heading_label(level, counters[level]))
    return labels


def chinese_date(date: datetime.date) -> str:
    """成文日期 in Arabic numerals without leading zeros: 2026年11月21日 (GB/T 9704 7.3.5.1)."""
    return f"{date.year}年{date.month}月{date.day}日"


def text_width(text: str) -> float:
    """Width of ``text`` in full-width characters: CJK and full-width forms 1, others ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def with_ending(text: str, ending: str, accepted: str) -> str:
    text = text.strip()
    if not text or text[-1] in accepted:
        return text
    return text + ending


# --- title lines (标题回行: 梯形或菱形, 词意完整) ---------------------------------------------

TITLE_MAX_WIDTH = math.floor(TEXT_WIDTH / (TITLE_SIZE_PT * PT))  # 20 characters of 2号
_NO_LINE_START = set("，。、；：？！）》〕」』”’…—·,.;:?!)]")
_NO_LINE_END = set("（《〔「『“‘([")
_GOOD_LINE_ENDS = ("关于",)
_NUMBER_PARTS = set("年月日号期届次条项个万亿元%〔〕.")


def _tokens(text: str) -> list[str]:
    """Words of ``text``; jieba when it is installed, else characters with Latin runs kept."""
    try:
        import jieba
    except ImportError:  # pragma: no cover - jieba is a dependency
        return re.findall(r"[A-Za-z0-9.%]+|.", text)
    jieba.setLogLevel(60)
    return [token for token in jieba.lcut(text, HMM=True) if token]


def split_title(title: str, max_width: float = TITLE_MAX_WIDTH) -> list[str]:
    """Break a title into centred lines that keep words whole and form a trapezoid or diamond.

    Explicit line breaks in the title are kept as they are.
    """
    explicit = [line.strip() for line in title.strip().splitlines() if line.strip()]
    if len(explicit) != 1:
        return explicit
    title = explicit[0]
    if text_width(title) <= max_width:
        return [title]
    tokens = _tokens(title)
    # Where a line may end: between tokens, never before closing or after opening punctuation.
    cuts = []
    position = 0
    for token in tokens[:-1]:
        position += len(token)
        before, after = title[position - 1], title[position]
        if after in _NO_LINE_START or before in _NO_LINE_END:
            continue
        if (before.isdigit() or after.isdigit()) and (before.isdigit() or before in _NUMBER_PARTS) \
                and (after.isdigit() or after in _NUMBER_PARTS):
            continue  # 2026年, 12号, 〔2026〕: a number stays with its unit
        cuts.append(position)
    if not cuts:
        cuts = list(range(1, len(title)))
    total = text_width(title)
    best: tuple[float, list[str]] | None = None
    minimum = math.ceil(total / max_width)
    for count in range(minimum, minimum + 2):
        for combination in _combinations(cuts, count - 1, limit=20000):
            bounds = (0, *combination, len(title))
            lines = [title[a:b].strip() for a, b in zip(bounds, bounds[1:])]
            widths = [text_width(line) for line in lines]
            if not all(lines):
                continue
            if max(widths) > max_width:
                continue
            cost = (_title_cost(lines, widths) + _cut_cost(title, combination)
                    + 6 * (count - minimum))
            if best is None or cost < best[0]:
                best = (cost, lines)
    if best is None:  # a single word longer than a line: cut by width
        lines, line = [], ""
        for ch in title:
            if text_width(line + ch) > max_width:
                lines.append(line)
                line = ""
            line += ch
        return [*lines, line]
    return best[1]


def _combinations(cuts, k, limit):
    from itertools import combinations, islice

    return islice(combinations(cuts, k), limit)


def _title_cost(lines, widths) -> float:
    mean = sum(widths) / len(widths)
    cost = sum((width - mean) ** 2 for width in widths) / 4
    pairs = list(zip(widths, widths[1:]))
    if all(abs(a - b) < 0.5 for a, b in pairs):
        cost += 6  # a rectangle: the standard asks for a trapezoid or diamond
    if len(widths) >= 3:
        middle = widths[1:-1]
        if min(middle) < widths[0] and min(middle) < widths[-1]:
            cost += 40  # an hourglass (沙漏形) is what the standard forbids
    for line in lines[:-1]:
        if line.endswith(_GOOD_LINE_ENDS):
            cost -= 4
    for line in lines[1:]:
        if line.startswith("的"):
            cost += 2
    return cost


def _cut_cost(title: str, cuts) -> float:
    cost = 0.0
    for cut in cuts:
        if title[cut - 1].isspace() or title[cut].isspace():
            cost -= 8  # between the names of a joint title
        if title[:cut].count("《") > title[:cut].count("》"):
            cost += 8  # inside a book title
    return cost
