"""Content screening before review (上网内容检查), seed 003 第十九条 and 上网不涉密 (seed 002/003).

Pure functions: collect the text a page would put on the website (title, fields, rich text, the
text of attached or linked PDF and Word files) and find forbidden words and secrecy markings in it.
Nothing here writes; ``services.screen_submission`` records the outcome.
"""

from __future__ import annotations

import html
import io
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.fields import RichTextField, StreamField

logger = logging.getLogger(__name__)

# 上网不涉密，涉密不上网: any classification marking stops a submission. "秘密★一年" and "机密★"
# are the printed forms; the bare words count as well, as the seeds forbid classified content outright.
SECRET_MARKING = re.compile(r"(?:绝密|机密|秘密)(?:\s*★\s*[^\s，。；,;]{0,6})?")
SECRET_CATEGORY = "secret"
SECRET_CATEGORY_LABEL = _("Classified marking (上网不涉密)")
CONTEXT_CHARS = 15
MAX_DOCUMENT_CHARS = 200_000

# Where a hit was found, in the editor's words ("title" alone is ambiguous in the merged catalogues).
FIELD_LABELS = {
    "title": pgettext_lazy("screened part of a page", "Title"),
    "seo_title": pgettext_lazy("screened part of a page", "Title for search engines"),
    "search_description": pgettext_lazy("screened part of a page", "Search description"),
    "summary": pgettext_lazy("screened part of a page", "Summary"),
    "body": pgettext_lazy("screened part of a page", "Body text"),
    "author_name": pgettext_lazy("screened part of a page", "Author"),
    "cover_caption": pgettext_lazy("screened part of a page", "Image caption"),
    "intro": pgettext_lazy("screened part of a page", "Introduction"),
}

_TAG = re.compile(r"<[^>]+>")
_DOC_LINK = re.compile(r"""<a\b[^>]*\blinktype=["']document["'][^>]*\bid=["'](\d+)["']""", re.I)
_DOC_LINK_REVERSED = re.compile(r"""<a\b[^>]*\bid=["'](\d+)["'][^>]*\blinktype=["']document["']""", re.I)
_SKIPPED_FIELDS = {"slug", "url_path", "draft_title", "search_text", "column_key", "latest_revision_created_at",
                   "locked", "live", "has_unpublished_changes", "first_published_at", "last_published_at",
                   "go_live_at", "expire_at", "expired", "show_in_menus", "path", "depth", "numchild",
                   "translation_key", "content_type", "owner", "locked_by", "locale", "latest_revision",
                   "live_revision", "alias_of"}


@dataclass(frozen=True)
class Source:
    """A piece of text and where it came from (标题, 正文, 附件《…》)."""

    label: str
    text: str


@dataclass(frozen=True)
class Match:
    """One hit: the word, its category, where, and the text around it."""

    word: str
    category: str
    category_label: str
    source: str
    before: str
    after: str

    def as_dict(self) -> dict:
        return {"word": self.word, "category": self.category, "source": self.source,
                "context": f"{self.before}【{self.word}】{self.after}"}


def html_to_text(value: str) -> str:
    return html.unescape(_TAG.sub(" ", value or ""))


def document_ids_in(rich_text: str) -> list[int]:
    ids = [int(x) for x in _DOC_LINK.findall(rich_text or "")] + \
          [int(x) for x in _DOC_LINK_REVERSED.findall(rich_text or "")]
    return list(dict.fromkeys(ids))


def document_text(document) -> str:
    """The text of a PDF (pypdf) or Word .docx (python-docx) file; other files give ''. Never raises."""
    name = (getattr(document.file, "name", "") or "").lower()
    try:
        with document.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        logger.warning("document %s: file cannot be read for screening", document.pk)
        return ""
    try:
        if name.endswith(".pdf") or data[:5] == b"%PDF-":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            text = "\n".join((page.extract_text() or "") for page in reader.pages)
        elif name.endswith(".docx"):
            import docx

            doc = docx.Document(io.BytesIO(data))
            parts = [p.text for p in doc.paragraphs]
            for table in doc.tables:
                for row in table.rows:
                    parts.extend(cell.text for cell in row.cells)
            text = "\n".join(parts)
        elif name.endswith(".txt"):
            text = data.decode("utf-8", errors="replace")
        else:
            return ""
    except Exception:  # a broken file must not let its content slip through unnoticed: say so
        logger.warning("document %s: text could not be extracted for screening", document.pk, exc_info=True)
        return ""
    return text[:MAX_DOCUMENT_CHARS]


def _document_source(document) -> Source:
    return Source(str(_("Attachment “%(title)s”") % {"title": document.title}), document_text(document))


def _field_sources(obj, *, top: bool) -> Iterator[Source | object]:
    """Text of ``obj``'s own fields, and the documents it refers to (yielded as Document objects)."""
    from wagtail.documents import get_document_model

    document_model = get_document_model()
    for field in obj._meta.concrete_fields:
        if field.name in _SKIPPED_FIELDS or field.primary_key or field.name.endswith("_ptr"):
            continue
        if isinstance(field, models.ForeignKey):
            if issubclass(field.related_model, document_model):
                document = getattr(obj, field.name, None)
                if document is not None:
                    yield document
            continue
        value = getattr(obj, field.attname, None)
        if value in (None, ""):
            continue
        label = str(FIELD_LABELS.get(field.name, field.verbose_name))
        if isinstance(field, RichTextField):
            yield Source(label, html_to_text(value))
            for pk in document_ids_in(value):
                document = document_model.objects.filter(pk=pk).first()
                if document is not None:
                    yield document
        elif isinstance(field, StreamField):
            try:
                parts = field.stream_block.get_searchable_content(value)
            except Exception:  # pragma: no cover - a block without searchable content
                parts = []
            yield Source(label, "\n".join(html_to_text(str(p)) for p in parts))
            yield from _documents_in_stream(value, document_model)
        elif isinstance(field, (models.CharField, models.TextField)) and not field.choices:
            yield Source(label, str(value))


def _documents_in_stream(value, document_model) -> Iterator[object]:
    def walk(item):
        if isinstance(item, document_model):
            yield item
        elif isinstance(item, dict) or hasattr(item, "items") and not isinstance(item, str):
            for sub in item.values():
                yield from walk(sub)
        elif isinstance(item, (list, tuple)) or hasattr(item, "raw_data"):
            for sub in item:
                yield from walk(getattr(sub, "value", sub))
        elif hasattr(item, "source"):  # RichText inside a stream
            for pk in document_ids_in(item.source):
                document = document_model.objects.filter(pk=pk).first()
                if document is not None:
                    yield document

    try:
        yield from walk(value)
    except Exception:  # pragma: no cover
        return


def page_sources(page) -> list[Source]:
    """Everything of a page (its specific instance, possibly unsaved) that would go on the website."""
    from modelcluster.models import get_all_child_relations

    found: list[Source | object] = list(_field_sources(page, top=True))
    for relation in get_all_child_relations(page):
        if relation.get_accessor_name() in {"comments", "wagtail_admin_comments"}:
            continue
        manager = getattr(page, relation.get_accessor_name(), None)
        if manager is None:
            continue
        for child in manager.all():
            found.extend(_field_sources(child, top=False))
    sources: list[Source] = []
    seen_documents: set[int] = set()
    for item in found:
        if isinstance(item, Source):
            if item.text.strip():
                sources.append(item)
        elif item.pk not in seen_documents:
            seen_documents.add(item.pk)
            sources.append(_document_source(item))
    return sources


def find_matches(sources: Iterable[Source], words: Iterable[tuple[str, str, str]]) -> list[Match]:
    """Every forbidden word (``(word, category, category_label)``) and secrecy marking in ``sources``."""
    words = [w for w in words if w[0]]
    matches: list[Match] = []
    for source in sources:
        text = re.sub(r"\s+", " ", source.text).strip()
        for word, category, label in words:
            for hit in re.finditer(re.escape(word), text, flags=re.I):
                matches.append(_match(text, hit, word, category, label, source.label))
        for hit in SECRET_MARKING.finditer(text):
            matches.append(_match(text, hit, hit.group(0), SECRET_CATEGORY, str(SECRET_CATEGORY_LABEL),
                                  source.label))
    return matches


def _match(text: str, hit: re.Match, word: str, category: str, label: str, source: str) -> Match:
    start, end = hit.span()
    return Match(word=text[start:end], category=category, category_label=str(label), source=source,
                 before=text[max(0, start - CONTEXT_CHARS):start], after=text[end:end + CONTEXT_CHARS])
