"""The one place that calls WeasyPrint: local files only, fonts cached per thread."""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from zhengtong.documents.rendering.fonts import font_configuration, resolve_fonts


class RemoteResourceRefused(ValueError):
    """The HTML asked for something other than an installed font file."""


class LocalFontFetcher(URLFetcher):
    """Fetches the installed font files and nothing else."""

    def fetch(self, url, headers=None):
        allowed = {font.file.as_uri() for font in resolve_fonts().values() if font.file}
        if url.split("?")[0] not in allowed:
            # Documents come from user text and are rendered on an isolated network.
            raise RemoteResourceRefused(url)
        return super().fetch(url, headers)


def render_html(html: str):
    """Lay ``html`` out; returns WeasyPrint's Document (pages, anchors) for write_pdf."""
    return HTML(string=html, url_fetcher=LocalFontFetcher(allowed_protocols=("file",))).render(
        font_config=font_configuration())


def write_pdf(document) -> bytes:
    return document.write_pdf()
