"""Data every installation starts with: the roles and the unit categories (seed 004 八.一)."""

from zhengtong.directory.roles import DEFAULT_ROLES

CATEGORIES = [
    ("dangqun", "党群部门", 10),
    ("zhengfu", "政府部门", 20),
    ("renda-zhengxie", "人大政协", 30),
    ("zhifa", "政法部门", 40),
    ("xiangzhen", "乡镇街道", 50),
    ("shiye", "事业单位", 60),
    ("chuizhi", "垂直管理部门", 70),
]


def load_defaults(Role, UnitCategory) -> None:
    """Create or refresh the default roles and categories (models passed in for migrations)."""
    for order, (code, name, scope, description) in enumerate(DEFAULT_ROLES, start=1):
        Role.objects.update_or_create(code=code, defaults={"name": name, "scope": scope,
                                                           "description": description, "sort_order": order * 10})
    for code, name, order in CATEGORIES:
        UnitCategory.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})
