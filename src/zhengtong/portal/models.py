"""The Wagtail website (门户网站, seed 000 (一), seed 003): home page, columns (栏目) and articles (文章).

Page models carry no business rules beyond keeping denormalised fields in step; permissions, the
column tree and media rules live in services.py, reads in selectors.py.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from zhengtong.portal.columns import ColumnKey


class HomePage(RoutablePageMixin, Page):
    """The website's root page (网站首页)."""

    class Layout(models.TextChoices):
        DISTRICT = "district", _("District government website (seed 000)")
        OFFICE = "office", _("Office website, eight columns (seed 003)")

    layout = models.CharField(_("layout"), max_length=10, choices=Layout, default=Layout.DISTRICT)
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, FieldPanel("layout")]
    subpage_types = ["portal.ColumnPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        from zhengtong.portal import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.home_blocks(self))
        return context

    def serve(self, request, view=None, args=None, kwargs=None):
        response = super().serve(request, view=view, args=args, kwargs=kwargs)
        # The home page itself is cached for anonymous visitors; search results are not.
        response.portal_cacheable = view is None or getattr(view, "__name__", "") == "index_route"
        return response

    @path("search/", name="search")
    def search_view(self, request):
        from zhengtong.portal import views

        return views.search(request, home=self)


class ColumnPage(RoutablePageMixin, Page):
    """A column (栏目) of the website; columns nest, and each may be owned by a unit (seed 000 (一)1)."""

    column_key = models.CharField(_("column key"), max_length=30, choices=ColumnKey, db_index=True)
    owner_unit = models.ForeignKey("directory.Unit", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="portal_columns", verbose_name=_("responsible unit"))
    owner_department = models.ForeignKey("directory.Department", on_delete=models.SET_NULL, null=True,
                                         blank=True, related_name="portal_columns",
                                         verbose_name=_("responsible department"))
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [
        MultiFieldPanel([FieldPanel("column_key"), FieldPanel("owner_unit"), FieldPanel("owner_department")],
                        heading=_("Column")),
        *Page.settings_panels,
    ]
    search_fields = [*Page.search_fields, index.FilterField("column_key")]
    subpage_types = ["portal.ColumnPage", "portal.ArticlePage"]
    parent_page_types = ["portal.HomePage", "portal.ColumnPage"]

    class Meta:
        verbose_name = _("column")
        verbose_name_plural = _("columns")

    def get_context(self, request, *args, **kwargs):
        from zhengtong.portal import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.column_context(self, page_number=request.GET.get("page")))
        return context

    def serve(self, request, view=None, args=None, kwargs=None):
        response = super().serve(request, view=view, args=args, kwargs=kwargs)
        response.portal_cacheable = True
        return response

    @path("rss/", name="rss")
    def rss_view(self, request):
        from zhengtong.portal import views

        return views.column_rss(request, column=self)


class ArticlePage(Page):
    """An article (文章) in a column: the content an information officer submits (seed 000 (一)2)."""

    summary = models.TextField(_("summary"), blank=True)
    body = RichTextField(_("body"), features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link",
                                               "image", "hr"])
    source_unit = models.ForeignKey("directory.Unit", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="portal_articles", verbose_name=_("source unit"))
    source_department = models.ForeignKey("directory.Department", on_delete=models.SET_NULL, null=True,
                                          blank=True, related_name="portal_articles",
                                          verbose_name=_("source department"))
    author_name = models.CharField(_("author"), max_length=60, blank=True)
    cover_image = models.ForeignKey("wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("image"))
    cover_caption = models.CharField(_("image caption"), max_length=200, blank=True)
    views = models.PositiveIntegerField(_("views"), default=0)
    column_key = models.CharField(_("column key"), max_length=30, choices=ColumnKey, blank=True,
                                  db_index=True, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="portal_articles", editable=False,
                                     verbose_name=_("submitted by"))
    # Words of title, summary and body separated by spaces (jieba), so the database search backend,
    # which splits on spaces, finds Chinese words inside sentences.
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("cover_image"), FieldPanel("cover_caption")], heading=_("Image")),
        InlinePanel("attachments", label=_("Attachments")),
        MultiFieldPanel([FieldPanel("source_unit"), FieldPanel("source_department"), FieldPanel("author_name")],
                        heading=_("Source")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("search_text"),
        index.AutocompleteField("title"),
        index.FilterField("column_key"),
        index.FilterField("live"),
        index.FilterField("first_published_at"),
    ]
    subpage_types: list[str] = []
    parent_page_types = ["portal.ColumnPage"]
    # base_form_class (zhengtong.portal.forms.ArticlePageForm) is set in PortalConfig.ready().

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def serve(self, request, *args, **kwargs):
        from zhengtong.portal.services import record_article_view

        response = super().serve(request, *args, **kwargs)
        response.portal_cacheable = True
        response.portal_article_id = self.pk
        record_article_view(self.pk)
        return response

    def get_context(self, request, *args, **kwargs):
        from zhengtong.portal import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.article_context(self))
        return context

    def clean(self):
        super().clean()
        # seed 003 第十七条: pictures need a caption (要求附文字说明).
        if self.cover_image_id and not self.cover_caption.strip():
            raise ValidationError({"cover_caption": _("An image needs a caption (seed 003, article 17).")})

    def save(self, *args, **kwargs):
        from zhengtong.portal.search import segment_for_index

        column = self.nearest_column()
        if column is not None:
            self.column_key = column.column_key
        self.search_text = segment_for_index(self.title, self.summary, self.body)
        return super().save(*args, **kwargs)

    def nearest_column(self) -> ColumnPage | None:
        """The nearest ColumnPage ancestor (an article's column)."""
        if not self.path or self.depth is None:
            return None
        ancestor_paths = [self.path[:i] for i in range(self.steplen, len(self.path), self.steplen)]
        return (ColumnPage.objects.filter(path__in=ancestor_paths).order_by("-depth").first())

    @property
    def image_alt(self) -> str:
        return self.cover_caption or self.title


class ArticleAttachment(Orderable):
    """A file attached to an article (附件): a Wagtail document."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("document"))

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
