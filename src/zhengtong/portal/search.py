"""Chinese full-text search: jieba segmentation on both sides (DESIGN: jieba into the database's full text)."""

from __future__ import annotations

import logging
import re

from django.utils.html import strip_tags

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w]+", re.UNICODE)


def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def segment(text: str) -> list[str]:
    """Words of a text in search-engine mode (overlapping words, so 农业局 also yields 农业)."""
    text = _PUNCT.sub(" ", strip_tags(text or "")).strip()
    if not text:
        return []
    return [word for word in (w.strip() for w in _jieba().cut_for_search(text)) if word]


def segment_for_index(*parts: str) -> str:
    """The text stored in ArticlePage.search_text: the words separated by spaces."""
    return " ".join(segment(" ".join(p or "" for p in parts)))


def segment_query(query: str) -> str:
    """A user's query, segmented the same way as the index."""
    return _SPACES.sub(" ", " ".join(segment(query))).strip()
