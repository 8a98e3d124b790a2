"""Government website (门户网站)."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate
from django.utils.translation import gettext_lazy as _


def _may_use_cms(request) -> bool:
    from zhengtong.portal.services import may_use_cms

    return may_use_cms(request.user)


class PortalConfig(AppConfig):
    name = "zhengtong.portal"
    label = "portal"
    verbose_name = _("Government website")

    def ready(self):
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from zhengtong.audit.actions import register_action
        from zhengtong.demo.registry import register_demo_loader
        from zhengtong.office.registry import NavItem, register_nav
        from zhengtong.portal import signals
        from zhengtong.portal.demo import load_demo
        from zhengtong.portal.forms import ArticlePageForm
        from zhengtong.portal.models import ArticlePage

        ArticlePage.base_form_class = ArticlePageForm

        register_action("portal.site.setup", _("Website columns set up"))
        register_action("portal.cms_access.sync", _("Website editing rights follow roles"))
        register_action("portal.image.add", _("Website picture uploaded"))
        register_action("portal.upload.refuse", _("Website upload refused"))
        register_action("portal.cms.refuse", _("Refused in the website editor"))

        register_nav(NavItem(key="website", label=_("Website management"), url_name="wagtailadmin_home",
                             icon="globe", order=60, visible=_may_use_cms, group="website"))
        register_demo_loader("portal", load_demo, order=50)

        page_published.connect(signals.invalidate_cache, dispatch_uid="portal-published")
        page_unpublished.connect(signals.invalidate_cache, dispatch_uid="portal-unpublished")
        post_delete.connect(signals.invalidate_cache_on_delete, dispatch_uid="portal-deleted")
        post_page_move.connect(signals.page_moved, dispatch_uid="portal-moved")
        post_migrate.connect(signals.complete_site_tree, sender=self, dispatch_uid="portal-site-tree")
