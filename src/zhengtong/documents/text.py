"""The body of a document as blocks, and their numbering (条例 and GB/T 9704-2012 7.3.3).

A block is ``{"level": 0-4, "text": str}``: level 0 a paragraph, 1 "一、", 2 "（一）", 3 "1.", 4 "（1）".
Numbers are not stored; they are worked out from the order of the blocks, a higher level restarting
the counters below it.
"""

from __future__ import annotations

import json

from zhengtong.documents.rendering.layout import chinese_numeral, heading_label

LEVELS = (0, 1, 2, 3, 4)
MAX_BLOCKS = 2000
MAX_BLOCK_CHARS = 20000


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 105 → 一百零五 (the ordinals of 一、 and （一）), as the renderer prints them."""
    return chinese_numeral(n) if n > 0 else str(n)


def marker(level: int, n: int) -> str:
    """The number in front of a heading of ``level`` (一、 （一） 1. （1）); a paragraph has none."""
    return heading_label(level, n) if level in LEVELS[1:] else ""


def numbered(blocks: list[dict]) -> list[tuple[int, str, str]]:
    """Each block as (level, number, text); a heading restarts the counts of the levels below it."""
    counters = [0, 0, 0, 0, 0]
    result = []
    for block in blocks:
        level = int(block.get("level", 0) or 0)
        text = str(block.get("text", ""))
        number = ""
        if level:
            counters[level] += 1
            for lower in range(level + 1, 5):
                counters[lower] = 0
            number = marker(level, counters[level])
        result.append((level, number, text))
    return result


def numbered_lines(blocks: list[dict]) -> list[str]:
    """The body as lines of text with their numbers (what 痕迹保留 compares)."""
    return [f"{number}{text}" for _level, number, text in numbered(blocks)]


def plain_text(blocks: list[dict]) -> str:
    return "\n".join(numbered_lines(blocks))


def normalise_blocks(value) -> list[dict]:
    """Blocks from a JSON string or a list; raises ValueError with a Chinese-ready reason key."""
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return []
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError("json") from exc
    if not isinstance(value, list):
        raise ValueError("shape")
    if len(value) > MAX_BLOCKS:
        raise ValueError("too_many")
    blocks = []
    for item in value:
        if isinstance(item, str):
            item = {"level": 0, "text": item}
        if not isinstance(item, dict):
            raise ValueError("shape")
        try:
            level = int(item.get("level", 0) or 0)
        except (TypeError, ValueError) as exc:
            raise ValueError("level") from exc
        if level not in LEVELS:
            raise ValueError("level")
        text = str(item.get("text", "") or "").replace("\r\n", "\n").strip()
        if len(text) > MAX_BLOCK_CHARS:
            raise ValueError("too_long")
        if text:
            blocks.append({"level": level, "text": text})
    return blocks
