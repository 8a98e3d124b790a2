from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _may_browse_audit(request) -> bool:
    from zhengtong.audit.selectors import can_browse_audit

    return can_browse_audit(request.user, getattr(request, "unit", None) or None)


class AuditConfig(AppConfig):
    name = "zhengtong.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from zhengtong.office.registry import NavItem, register_nav

        register_nav(NavItem(key="audit", label=_("Audit trail"), url_name="audit:index", icon="shield-check",
                             order=90, visible=_may_browse_audit, group="admin"))
