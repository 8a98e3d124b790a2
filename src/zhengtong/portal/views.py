"""Public views that are not plain pages: search results and a column's RSS feed."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from zhengtong.portal import selectors

FEED_ITEMS = 20


def search(request, *, home):
    query = (request.GET.get("q") or "").strip()[:100]
    results = selectors.search_articles(home, query) if query else None
    page = Paginator(results, 20).get_page(request.GET.get("page")) if results is not None else None
    return TemplateResponse(request, "portal/search.html", {
        "page": home, "self": home, "query": query, "results": page,
        "breadcrumbs": [home], "search_page": True,
    })


def column_rss(request, *, column):
    """The newest articles of a column as RSS 2.0."""
    link = column.get_full_url(request)
    feed = Rss201rev2Feed(title=f"{column.title} - {column.get_site().site_name or column.get_parent().title}",
                          link=link, description=column.intro or column.title, language="zh-hans",
                          feed_url=request.build_absolute_uri())
    for article in selectors.articles_in(column)[:FEED_ITEMS]:
        summary = article.summary or Truncator(strip_tags(article.body)).chars(200)
        feed.add_item(title=article.title, link=article.get_full_url(request), description=summary,
                      pubdate=article.first_published_at, unique_id=article.get_full_url(request),
                      author_name=article.source_unit.name if article.source_unit_id else None)
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


def cms_forbidden(request):
    return TemplateResponse(request, "portal/cms_forbidden.html", {
        "message": _("You have no role that uses the website's editing interface (information officer, "
                     "content reviewer or platform operator)."),
    }, status=403)
