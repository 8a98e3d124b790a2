"""Forms of the directory management pages: they parse input; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtong.core.forms import BootstrapMixin
from zhengtong.directory import selectors
from zhengtong.directory.models import Department, Unit, UnitCategory, User

INDENT = "\u3000"  # a full-width space per level of the tree


def apply_errors(form: forms.Form, exc: ValidationError, *, field_map: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError next to the fields it names (others above the form)."""
    field_map = field_map or {}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            name = field_map.get(field, field)
            form.add_error(name if name in form.fields else None, errors)
            if name in form.fields:  # the mixin marks invalid widgets only for the form's own errors
                attrs = form.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{form.add_prefix(name)}-errors"
    else:
        form.add_error(None, exc.messages)


class TreeChoiceField(forms.ChoiceField):
    """A choice of department shown as an indented tree; cleans to a Department (or None)."""

    def __init__(self, *, unit: Unit, exclude: set[int] = frozenset(), empty_label=None, **kwargs):
        self._departments = {}
        choices = [("", empty_label or "—")]
        for department, depth in selectors.flat_department_tree(unit):
            if department.pk in exclude:
                continue
            self._departments[str(department.pk)] = department
            choices.append((str(department.pk), INDENT * depth + department.name))
        super().__init__(choices=choices, required=False, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self._departments.get(value) if value else None


class UnitForm(BootstrapMixin, forms.Form):
    """Register a unit or edit its details (seed 004 八.一: 名称、组织机构代码、单位编码、排列顺序)."""

    name = forms.CharField(label=_("Full name"), max_length=100)
    short_name = forms.CharField(label=_("Short name"), max_length=30, required=False)
    code = forms.CharField(label=_("Unit code"), max_length=20,
                           help_text=_("From the number range reserved for the district."))
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False,
                                  help_text=_("18 characters; the last one is a check character."))
    category = forms.ModelChoiceField(label=_("Category"), queryset=UnitCategory.objects.all(),
                                      empty_label=_("(choose a category)"))
    parent = forms.ModelChoiceField(label=_("Parent unit"), queryset=Unit.objects.none(), required=False,
                                    empty_label=_("(none)"))
    sort_order = forms.IntegerField(label=_("Sort order"), min_value=0, initial=0,
                                    help_text=_("Units are listed by this number within their category."))
    document_prefix = forms.CharField(label=_("Document number prefix (机关代字)"), max_length=20,
                                      required=False)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Unit.objects.filter(status=Unit.Status.ACTIVE)
        if unit is not None:
            del self.fields["name"]
            parents = parents.exclude(pk=unit.pk)
        self.fields["parent"].queryset = parents


class RenameForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("New full name"), max_length=100)
    short_name = forms.CharField(label=_("New short name"), max_length=30, required=False)
    note = forms.CharField(label=_("Basis"), max_length=200, required=False,
                           help_text=_("For example the unit's letter or the approval of the staffing office."))


class DissolveForm(BootstrapMixin, forms.Form):
    end_note = forms.CharField(label=_("What happens to its documents"), widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("As the dissolved unit asked, e.g. handed to the district archive."))
    confirm = forms.BooleanField(label=_("I understand that its accounts are disabled and its roles removed."))


class MergeForm(BootstrapMixin, forms.Form):
    """Merge units (seed 001 第九条(三)): keep one name, or register a new unit."""

    KEEP, NEW = "keep", "new"
    units = forms.ModelMultipleChoiceField(label=_("Units to merge"), queryset=Unit.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)
    mode = forms.ChoiceField(label=_("The merged unit"), widget=forms.RadioSelect, initial=KEEP,
                             choices=[(KEEP, _("continues under the name of one of them")),
                                      (NEW, _("is registered under a new name"))])
    continuing = forms.ModelChoiceField(label=_("Continuing unit"), queryset=Unit.objects.none(), required=False,
                                        empty_label=_("(choose one of the merged units)"))
    new_name = forms.CharField(label=_("Full name"), max_length=100, required=False)
    new_short_name = forms.CharField(label=_("Short name"), max_length=30, required=False)
    new_code = forms.CharField(label=_("Unit code"), max_length=20, required=False)
    new_credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False)
    new_category = forms.ModelChoiceField(label=_("Category"), queryset=UnitCategory.objects.all(), required=False,
                                          empty_label=_("(choose a category)"))
    new_document_prefix = forms.CharField(label=_("Document number prefix (机关代字)"), max_length=20,
                                          required=False)
    end_note = forms.CharField(label=_("What happens to the documents of the merged units"),
                               widget=forms.Textarea(attrs={"rows": 3}))

    NEW_FIELDS = {"name": "new_name", "short_name": "new_short_name", "code": "new_code",
                  "credit_code": "new_credit_code", "category": "new_category",
                  "document_prefix": "new_document_prefix"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(status=Unit.Status.ACTIVE).select_related("category")
        self.fields["units"].queryset = units
        self.fields["continuing"].queryset = units

    def clean(self):
        data = super().clean()
        if data.get("mode") == self.KEEP:
            if not data.get("continuing"):
                self.add_error("continuing", _("Choose the unit that continues."))
        elif data.get("mode") == self.NEW:
            for name in ("new_name", "new_code", "new_category"):
                if not data.get(name):
                    self.add_error(name, _("This field is required for a new unit."))
        return data

    def new_unit(self) -> dict | None:
        data = self.cleaned_data
        if data["mode"] != self.NEW:
            return None
        return {key: data[field] or "" for key, field in self.NEW_FIELDS.items() if key != "category"} | {
            "category": data["new_category"]}


class CategoryForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    code = forms.SlugField(label=_("Code"), max_length=30, required=False,
                           help_text=_("Letters, digits and hyphens; left empty, the pinyin of the name is used."))


class DepartmentForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    phone = forms.CharField(label=_("Office phone"), max_length=30, required=False)

    def __init__(self, *args, unit: Unit, department: Department | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        exclude = set()
        if department is not None:
            exclude = {department.pk} | selectors.descendant_ids(department)
        self.fields["parent"] = TreeChoiceField(unit=unit, exclude=exclude, label=_("Parent department"),
                                                empty_label=_("(top level)"))
        self.order_fields(["name", "parent", "phone"])
        self.fields["parent"].widget.attrs["class"] = "form-select"  # added after the mixin ran


class PersonForm(BootstrapMixin, forms.Form):
    """Add a person (seed 004 八.二: 名称为中文姓名，用户名为汉语拼音全拼) or edit their details and post."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=40)
    username = forms.CharField(label=_("Username"), max_length=40, required=False,
                               help_text=_("Full pinyin of the name, suggested as you type; a clash gets 01, "
                                           "02…"))
    mobile = forms.CharField(label=_("Mobile number"), max_length=11, required=False,
                             help_text=_("Used for SMS reminders."))
    email = forms.EmailField(label=_("E-mail"), required=False)
    title = forms.CharField(label=_("Title"), max_length=40, required=False)
    office_phone = forms.CharField(label=_("Office phone"), max_length=30, required=False)
    sort_order = forms.IntegerField(label=_("Sort order"), min_value=0, initial=100)
    leader_order = forms.IntegerField(label=_("Leader order"), min_value=0, required=False,
                                      help_text=_("Only for leaders: they are listed first, by this number."))
    roles = forms.MultipleChoiceField(label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, unit: Unit, actor, adding: bool, account_editable: bool = True,
                 suggest_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if suggest_url:  # htmx: the username field follows the name as it is typed
            self.fields["name"].widget.attrs.update({
                "hx-get": suggest_url, "hx-trigger": "input changed delay:250ms", "hx-sync": "this:replace",
                "hx-target": "#username-field", "hx-swap": "outerHTML",
                "hx-include": "#id_username, #id_suggested", "autocomplete": "off"})
        self.fields["department"] = TreeChoiceField(unit=unit, label=_("Department"),
                                                    empty_label=_("(no department)"))
        self.fields["department"].widget.attrs["class"] = "form-select"
        self.fields["username"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "none",
                                                     "spellcheck": "false"})
        self.fields["mobile"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        if adding:
            self.fields["roles"].choices = role_choices(actor)
        else:
            del self.fields["username"], self.fields["roles"]
            if not account_editable:
                for name in ("name", "mobile", "email"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Kept by the person's primary unit.")
        self.order_fields(["name", "username", "department", "title", "mobile", "office_phone", "email",
                           "sort_order", "leader_order", "roles"])


def role_choices(actor) -> list[tuple[str, str]]:
    """Roles the actor may give: unit roles for unit admins, platform roles too for operators."""
    return [(role.code, role.name) for role in selectors.roles_assignable_by(actor)]


class RolesForm(BootstrapMixin, forms.Form):
    roles = forms.MultipleChoiceField(label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices(actor)


class StatusForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=User.Status.choices)


class AddExistingForm(BootstrapMixin, forms.Form):
    """Give an existing account a post in this unit (one person, one account, two posts)."""

    username = forms.CharField(label=_("Username"), max_length=40,
                               help_text=_("The exact username of the person's existing account."))
    title = forms.CharField(label=_("Title"), max_length=40, required=False)

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"] = TreeChoiceField(unit=unit, label=_("Department"),
                                                    empty_label=_("(no department)"))
        self.fields["department"].widget.attrs["class"] = "form-select"
        self.fields["username"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "none"})
        self.order_fields(["username", "department", "title"])


class PeopleFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=40)
    status = forms.ChoiceField(required=False, choices=[
        ("", _("Serving")), (selectors.PersonStatus.ACTIVE, _("Active")),
        (selectors.PersonStatus.LOCKED, _("Locked")), (selectors.PersonStatus.LEFT, _("Left"))])
    department = forms.IntegerField(required=False, min_value=1)


class GroupForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class GroupMembersForm(BootstrapMixin, forms.Form):
    members = forms.ModelMultipleChoiceField(label=_("Members"), queryset=User.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = selectors.people_in_unit(unit).order_by("username")


class DirectionForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])

