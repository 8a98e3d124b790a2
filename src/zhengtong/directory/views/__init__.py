"""Directory management in the office portal: thin views over directory.selectors and services.

Two audiences: the platform operator (units, categories; seed 001 第八条–第九条) and a unit's
system administrator (departments, people, roles, user groups; seed 004 part 八). Every unit page
resolves its unit through ``selectors.managed_unit_for``, so another unit's pages are a 404.
A package by topic; the views that urls.py uses (and ONE_TIME_KEY) are re-exported here.
"""

from __future__ import annotations

from zhengtong.directory.views._common import operator_required, unit_admin_required
from zhengtong.directory.views.category import (category_add, category_delete, category_edit, category_list,
                                                category_move)
from zhengtong.directory.views.department import (department_add, department_delete, department_edit, department_move,
                                                  departments)
from zhengtong.directory.views.group import group_add, group_delete, group_detail, group_move, groups, roles_overview
from zhengtong.directory.views.person import (ONE_TIME_KEY, PEOPLE_PER_PAGE, people, person_add, person_add_existing,
                                              person_detail, person_one_time_password, person_remove,
                                              person_reset_password, person_roles, person_status, suggest_username)
from zhengtong.directory.views.unit import (index, unit_add, unit_detail, unit_dissolve, unit_edit, unit_list,
                                            unit_merge, unit_rename)

__all__ = [
    "ONE_TIME_KEY", "PEOPLE_PER_PAGE", "category_add", "category_delete", "category_edit", "category_list",
    "category_move", "department_add", "department_delete", "department_edit", "department_move",
    "departments", "group_add", "group_delete", "group_detail", "group_move", "groups", "index",
    "operator_required", "people", "person_add", "person_add_existing", "person_detail",
    "person_one_time_password", "person_remove", "person_reset_password", "person_roles", "person_status",
    "roles_overview", "suggest_username", "unit_add", "unit_admin_required", "unit_detail", "unit_dissolve",
    "unit_edit", "unit_list", "unit_merge", "unit_rename",
]
