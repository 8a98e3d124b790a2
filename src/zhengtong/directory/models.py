"""The organisation directory (统一用户管理, seed 004 part 八): units, departments, people, roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengtong.directory.validators import validate_credit_code, validate_mobile, validate_username


class UnitCategory(models.Model):
    """A category of units (部门大类), e.g. 党群部门, 政府部门, 乡镇街道."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("unit category")
        verbose_name_plural = _("unit categories")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A unit (使用单位): an organ of the district government or one of its member units."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DISSOLVED = "dissolved", _("Dissolved")
        MERGED = "merged", _("Merged")

    name = models.CharField(_("full name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    code = models.CharField(_("unit code"), max_length=20, unique=True)
    category = models.ForeignKey(UnitCategory, on_delete=models.PROTECT, related_name="units",
                                 verbose_name=_("category"))
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("parent unit"))
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    document_prefix = models.CharField(_("document number prefix (机关代字)"), max_length=20, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    successor = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="predecessors", verbose_name=_("continued by"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_note = models.TextField(_("what happens to its documents"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["category__sort_order", "sort_order", "id"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], condition=~Q(credit_code=""),
                                    name="unit_credit_code_unique",
                                    violation_error_message=_("Another unit already has this unified "
                                                              "social credit code.")),
            models.UniqueConstraint(fields=["name"], condition=Q(status="active"),
                                    name="unit_active_name_unique",
                                    violation_error_message=_("Another active unit already has this name.")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class UnitNameChange(models.Model):
    """A unit's former name (seed 001 第九条(一): 名称变更): renaming keeps the history."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="name_changes",
                             verbose_name=_("unit"))
    old_name = models.CharField(_("former name"), max_length=100)
    new_name = models.CharField(_("new name"), max_length=100)
    old_short_name = models.CharField(_("former short name"), max_length=30, blank=True)
    new_short_name = models.CharField(_("new short name"), max_length=30, blank=True)
    note = models.CharField(_("basis (e.g. the unit's letter)"), max_length=200, blank=True)
    changed_by = models.ForeignKey("User", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("unit name change")
        verbose_name_plural = _("unit name changes")

    def __str__(self) -> str:
        return f"{self.old_name} → {self.new_name}"


class Department(models.Model):
    """A department (科室) inside a unit; departments form a tree."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="departments",
                             verbose_name=_("unit"))
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("parent department"))
    name = models.CharField(_("name"), max_length=60)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    phone = models.CharField(_("office phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["unit", "parent", "name"], name="department_name_unique"),
            # NULL parents never clash in SQL: top-level departments need their own rule.
            models.UniqueConstraint(fields=["unit", "name"], condition=Q(parent__isnull=True),
                                    name="department_top_name_unique",
                                    violation_error_message=_("The unit already has a department "
                                                              "of this name.")),
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **extra):
        user = self.model(username=username, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("name", username)
        return self.create_user(username, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person and their one account (一人一号, seed 001 第十五条)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        LOCKED = "locked", _("Locked")
        LEFT = "left", _("Left")

    username = models.CharField(_("username"), max_length=40, unique=True,
                                validators=[validate_username],
                                help_text=_("Full pinyin in lower case, e.g. zhangsan; a clash gets 01, 02…"))
    name = models.CharField(_("name"), max_length=40, help_text=_("Chinese name; duplicates are allowed."))
    initials = models.CharField(_("pinyin initials"), max_length=40, blank=True, db_index=True, editable=False)
    mobile = models.CharField(_("mobile number"), max_length=11, blank=True, validators=[validate_mobile])
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    is_staff = models.BooleanField(_("may use the Django admin"), default=False)
    must_change_password = models.BooleanField(_("must change password at next sign-in"), default=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    failed_sign_ins = models.PositiveIntegerField(_("failed sign-ins in a row"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    date_joined = models.DateTimeField(_("created at"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["username"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.name}（{self.username}）" if self.name else self.username

    @property
    def is_active(self) -> bool:  # Django's auth checks this on every request
        return self.status != self.Status.LEFT

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    def get_session_auth_hash(self) -> str:
        """Include the session generation so that "sign out everywhere" ends every session."""
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "zhengtong.directory.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            algorithm="sha256",
        ).hexdigest()


class Membership(models.Model):
    """A person's post in one unit: one person may serve in two units (一人多岗)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("person"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships",
                             verbose_name=_("unit"))
    department = models.ForeignKey(Department, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="memberships", verbose_name=_("department"))
    title = models.CharField(_("title"), max_length=40, blank=True)
    office_phone = models.CharField(_("office phone"), max_length=30, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=100)
    leader_order = models.PositiveIntegerField(_("leader order"), null=True, blank=True,
                                               help_text=_("Leaders are listed by this number."))
    is_primary = models.BooleanField(_("primary unit"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["unit", models.F("leader_order").asc(nulls_last=True), "sort_order", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user.name} @ {self.unit.display_name}"


class Role(models.Model):
    """A role: platform roles and the process roles of 《公文流转角色添加记录表》 (seed 004)."""

    class Scope(models.TextChoices):
        PLATFORM = "platform", _("Platform")
        UNIT = "unit", _("Unit")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope, default=Scope.UNIT)
    description = models.CharField(_("description"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.name


class RoleAssignment(models.Model):
    """A role given to a person in a unit (for platform roles, the operator's own unit)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments",
                             verbose_name=_("person"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="role_assignments",
                             verbose_name=_("unit"))
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="assignments",
                             verbose_name=_("role"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="role_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.user.name} · {self.role.name} · {self.unit.display_name}"


class UserGroup(models.Model):
    """A user group inside a unit (OA 用户组, seed 004 八.三): 部门领导, 办公室, 各科室…"""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="user_groups",
                             verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=200, blank=True)
    members = models.ManyToManyField(User, related_name="user_groups", blank=True, verbose_name=_("members"))
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("user group")
        verbose_name_plural = _("user groups")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="user_group_name_unique")]

    def __str__(self) -> str:
        return self.name
from zhengtong.directory.imports.models import *  # noqa: E402,F401,F403
