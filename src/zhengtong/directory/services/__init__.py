"""Every change to the directory: keyword-only, atomic, permission-checked and audited.

A package by topic (units and categories, departments, people, user groups); every public name is
re-exported here, so callers keep using ``zhengtong.directory.services.<name>``.
"""

from __future__ import annotations

from zhengtong.directory.services._common import generate_initial_password
from zhengtong.directory.services.departments import (create_department, delete_department, move_department,
                                                      reorder_department, update_department)
from zhengtong.directory.services.groups import (create_group, delete_group, reorder_group, set_group_members,
                                                 update_group)
from zhengtong.directory.services.people import (add_membership, create_person, may_edit_account, remove_membership,
                                                 reset_password, set_person_status, set_roles, suggest_username,
                                                 update_own_contact, update_person)
from zhengtong.directory.services.units import (create_category, delete_category, dissolve_unit, merge_units,
                                                move_category, register_unit, rename_unit, update_category, update_unit)

__all__ = [
    "add_membership", "create_category", "create_department", "create_group", "create_person",
    "delete_category", "delete_department", "delete_group", "dissolve_unit", "generate_initial_password",
    "may_edit_account", "merge_units", "move_category", "move_department", "register_unit",
    "remove_membership", "rename_unit", "reorder_department", "reorder_group", "reset_password",
    "set_group_members", "set_person_status", "set_roles", "suggest_username", "update_category",
    "update_department", "update_group", "update_own_contact", "update_person", "update_unit",
]
