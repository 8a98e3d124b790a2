"""The directory in Django's admin: for looking, not changing.

Every change goes through directory.services (permission-checked and audited) from the office
pages at /office/directory/; the admin shows the data read-only so nothing bypasses the audit trail.
"""

from django.contrib import admin

from zhengtong.directory.models import (Department, Membership, Role, RoleAssignment, Unit, UnitCategory,
                                       UnitNameChange, User, UserGroup)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ["unit", "department", "title", "is_primary", "is_active"]
    fk_name = "user"


class RoleAssignmentInline(ReadOnlyInline):
    model = RoleAssignment
    fields = ["unit", "role", "created_at"]
    fk_name = "user"


class DepartmentInline(ReadOnlyInline):
    model = Department
    fields = ["name", "parent", "sort_order", "phone"]


class NameChangeInline(ReadOnlyInline):
    model = UnitNameChange
    fields = ["changed_at", "old_name", "new_name", "note", "changed_by"]


@admin.register(UnitCategory)
class UnitCategoryAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "sort_order"]


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["name", "short_name", "code", "category", "status", "sort_order"]
    list_filter = ["status", "category"]
    search_fields = ["name", "short_name", "code", "credit_code"]
    inlines = [NameChangeInline, DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "unit", "parent", "sort_order"]
    list_filter = ["unit"]
    search_fields = ["name", "unit__name"]


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "name", "status", "mobile", "must_change_password", "date_joined"]
    list_filter = ["status", "must_change_password"]
    search_fields = ["username", "name", "initials", "mobile"]
    exclude = ["password", "groups", "user_permissions"]
    inlines = [MembershipInline, RoleAssignmentInline]


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "scope", "description", "sort_order"]
    list_filter = ["scope"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "unit", "created_at"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "user__name"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "unit", "department", "title", "is_primary", "is_active"]
    list_filter = ["is_active", "unit"]
    search_fields = ["user__username", "user__name"]


@admin.register(UserGroup)
class UserGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "unit", "sort_order"]
    list_filter = ["unit"]
    filter_horizontal = []


@admin.register(UnitNameChange)
class UnitNameChangeAdmin(ReadOnlyAdmin):
    list_display = ["unit", "old_name", "new_name", "changed_at", "changed_by"]
