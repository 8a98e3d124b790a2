"""The public website: pages, Chinese search, RSS, sitemap, anonymous cache and view counts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from django.urls import reverse
from django.utils import timezone

from zhengtong.portal import services
from zhengtong.portal.models import ArticlePage


def test_home_column_and_article_pages(web, make_article, client, cast):
    article = make_article(web.agriculture, title="桃源镇特色水果喜获丰收", source_unit=cast.unit,
                           body="<p>今年桃源镇的水果产量创新高。</p>")
    home = client.get("/")
    assert home.status_code == 200
    html = client.get(web.agriculture.url).content.decode()
    assert "桃源镇特色水果喜获丰收" in html and 'href="%srss/"' % web.agriculture.url in html
    page = client.get(article.url)
    text = page.content.decode()
    assert page.status_code == 200
    assert cast.unit.name in text  # source unit
    assert timezone.localtime(article.first_published_at).strftime("%Y-%m-%d") in text
    assert 'lang="zh-Hans"' in text and 'href="#main"' in text and "<main" in text
    assert 'aria-label' in text and "专题专栏" in text  # breadcrumbs reach the article's columns


def test_column_lists_are_paginated(web, make_article, client):
    for i in range(25):
        make_article(web.agriculture, title=f"第{i}篇")
    first = client.get(web.agriculture.url).content.decode()
    second = client.get(web.agriculture.url + "?page=2").content.decode()
    assert first.count("<li>\n      <a href=") == 20
    assert second.count("<li>\n      <a href=") == 5


def test_search_finds_a_chinese_word_inside_a_sentence(web, make_article, client):
    make_article(web.agriculture, title="田间管理", body="<p>全区高标准农田建设完成二万亩，秋粮收购有序推进。</p>")
    make_article(web.finance_tax, title="财政简报", body="<p>落实减税降费政策。</p>")
    search_url = web.home.url + "search/"
    html = client.get(search_url, {"q": "农田"}).content.decode()
    assert "田间管理" in html and "财政简报" not in html
    html = client.get(search_url, {"q": "秋粮收购"}).content.decode()
    assert "田间管理" in html
    html = client.get(search_url, {"q": "减税"}).content.decode()
    assert "财政简报" in html and "田间管理" not in html
    assert "田间管理" not in client.get(search_url, {"q": "航天"}).content.decode()


def test_unpublished_articles_are_not_found(web, make_article, client):
    draft = make_article(web.agriculture, title="未发布草稿", body="<p>内部讨论稿</p>")
    draft.live = False
    draft.save()
    html = client.get(web.home.url + "search/", {"q": "讨论"}).content.decode()
    assert "未发布草稿" not in html
    assert client.get(draft.url_path.removeprefix(web.home.url_path[:-1]) if draft.url is None else draft.url
                      ).status_code == 404


def test_column_rss_is_valid_xml_with_the_articles(web, make_article, client):
    make_article(web.agriculture, title="农业快讯一", body="<p>内容</p>")
    response = client.get(web.agriculture.url + "rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss"
    titles = [item.findtext("title") for item in root.iter("item")]
    assert "农业快讯一" in titles


def test_sitemap_is_valid_xml_listing_articles(web, make_article, client):
    article = make_article(web.agriculture, title="进地图的文章")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = [el.text for el in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert any(loc.endswith(article.url) for loc in locations)


def test_root_is_the_website_and_office_still_works(web, client, signed_in, cast):
    assert "portal/home_page.html" in [t.name for t in client.get("/").templates]
    assert client.get("/office/").status_code == 302
    assert signed_in(cast.clerk).get(reverse("office:home")).status_code == 200
    assert client.get("/no-such-page/").status_code == 404


def test_anonymous_pages_are_cached_until_something_is_published(web, make_article, client,
                                                                django_capture_on_commit_callbacks):
    article = make_article(web.agriculture, title="缓存前的标题")
    services.invalidate_public_cache()
    assert client.get(web.agriculture.url)["X-Portal-Cache"] == "miss"
    assert client.get(web.agriculture.url)["X-Portal-Cache"] == "hit"
    article.title = "发布后的新标题"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    response = client.get(web.agriculture.url)
    assert "发布后的新标题" in response.content.decode()


def test_signed_in_people_bypass_the_cache(web, signed_in, cast):
    client = signed_in(cast.clerk)
    client.get(web.agriculture.url)
    assert "X-Portal-Cache" not in client.get(web.agriculture.url)


def test_views_are_counted_in_batches_including_cache_hits(web, make_article, client):
    article = make_article(web.agriculture, title="阅读量")
    services.flush_article_views()
    for _ in range(3):
        client.get(article.url)
    services.flush_article_views()
    assert ArticlePage.objects.get(pk=article.pk).views == 3


def test_the_office_layout_shows_the_eight_columns_of_seed_003(web, client, make_article):
    from zhengtong.portal.columns import ColumnKey
    from zhengtong.portal.models import ColumnPage

    office = services.ensure_site_tree(layout="office").home  # the default site now shows it
    policy = ColumnPage.objects.child_of(office).get(column_key=ColumnKey.OFFICE_POLICY)
    assert policy.owner_unit.name == "鹤山区人民政府办公室"
    make_article(policy, title="区政府办文件汇编")
    html = client.get("/").content.decode()
    for title in ("政务公开", "政务专题", "政策文件", "办公室建设", "工作进展", "业务指南", "热点专题", "在线交流"):
        assert title in html
    assert "区政府办文件汇编" in html
