from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Labels of the audit actions this app writes (审计事项名称).
AUDIT_ACTIONS = {
    "directory.unit.register": _("Unit registered"),
    "directory.unit.update": _("Unit details changed"),
    "directory.unit.rename": _("Unit renamed"),
    "directory.unit.merge": _("Unit merged into another"),
    "directory.unit.merge_into": _("Units merged"),
    "directory.unit.dissolve": _("Unit dissolved"),
    "directory.category.create": _("Unit category added"),
    "directory.category.update": _("Unit category changed"),
    "directory.category.reorder": _("Unit categories reordered"),
    "directory.category.delete": _("Unit category deleted"),
    "directory.department.create": _("Department created"),
    "directory.department.update": _("Department changed"),
    "directory.department.move": _("Department moved"),
    "directory.department.reorder": _("Departments reordered"),
    "directory.department.delete": _("Department deleted"),
    "directory.person.create": _("Account created"),
    "directory.person.update": _("Person's details changed"),
    "directory.person.status_active": _("Account activated"),
    "directory.person.status_locked": _("Account locked"),
    "directory.person.status_left": _("Person left the unit"),
    "directory.person.reset_password": _("Password reset by an administrator"),
    "directory.person.update_contact": _("Contact details changed"),
    "directory.membership.add": _("Post added"),
    "directory.membership.remove": _("Post removed"),
    "directory.roles.set": _("Roles changed"),
    "directory.group.create": _("User group created"),
    "directory.group.update": _("User group changed"),
    "directory.group.reorder": _("User groups reordered"),
    "directory.group.members": _("User group members changed"),
    "directory.group.delete": _("User group deleted"),
}


def _may_manage_directory(request) -> bool:
    from zhengtong.directory.selectors import may_use_directory_admin

    return request.user.is_authenticated and may_use_directory_admin(request.user)


class DirectoryConfig(AppConfig):
    name = "zhengtong.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from zhengtong.audit.actions import register_action
        from zhengtong.office.registry import NavItem, register_nav

        register_nav(NavItem(key="directory", label=_("Directory"), url_name="directory:index",
                             icon="diagram-3", order=20, visible=_may_manage_directory, group="admin"))
        for code, label in AUDIT_ACTIONS.items():
            register_action(code, label)
