"""Forms of the workflow pages: they parse input; the engine's services validate and decide.

The action forms (complete, send back, transfer) are also what the documents app uses to parse the
``workflow/includes/action_form.html`` include posted to its own views.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtong.core.forms import BootstrapMixin
from zhengtong.directory import selectors as directory_selectors

INDENT = "\u3000"  # a full-width space per level of the department tree
MAX_BPMN_BYTES = 2 * 1024 * 1024
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ListFilterForm(forms.Form):
    """The filters of the 待办 / 在办 / 已办 lists."""

    kind = forms.ChoiceField(label=_("Process"), required=False)
    q = forms.CharField(label=pgettext_lazy("document title", "Title"), required=False, max_length=60)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    since = forms.DateField(label=_("Handled from"), required=False, widget=DATE_WIDGET)
    until = forms.DateField(label=_("Handled until"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All processes")), *kinds]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            data["since"], data["until"] = until, since  # a reversed range is what the person meant
        return data


class RevisionForm(forms.Form):
    """Every action carries the revision of the process the page showed (stale submits change nothing)."""

    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class CompleteForm(BootstrapMixin, RevisionForm):
    """Handle a to-do item: an opinion (意见) and, where the step offers one, a decision."""

    opinion = forms.CharField(label=_("Opinion"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    decision = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)


class SendBackForm(BootstrapMixin, RevisionForm):
    """Send the item back to an earlier step (退回), with the reason."""

    to_step = forms.ChoiceField(label=_("Send back to"))
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_step"].choices = [(step, label) for step, label, _person in targets]


class TransferForm(BootstrapMixin, RevisionForm):
    """Pass the item to another department or person of the unit (转办), with the reason."""

    to_department = forms.ChoiceField(label=_("To department"), required=False)
    to_person = forms.ChoiceField(label=_("To person"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._departments, self._people = {}, {}
        department_choices = [("", "—")]
        person_choices = [("", "—")]
        if unit is not None:
            for department, depth in directory_selectors.flat_department_tree(unit):
                self._departments[str(department.pk)] = department
                department_choices.append((str(department.pk), INDENT * depth + department.name))
            for person in directory_selectors.people_in_unit(unit).order_by("name"):
                self._people[str(person.pk)] = person
                person_choices.append((str(person.pk), person.name or person.username))
        self.fields["to_department"].choices = department_choices
        self.fields["to_person"].choices = person_choices

    def clean(self):
        data = super().clean()
        data["to_department"] = self._departments.get(data.get("to_department") or "")
        data["to_person"] = self._people.get(data.get("to_person") or "")
        if not data["to_department"] and not data["to_person"]:
            raise forms.ValidationError(_("Choose the department or the person to pass the item to."))
        return data


class CancelForm(BootstrapMixin, forms.Form):
    """End a running process before its last step (终止), with the reason."""

    reason = forms.CharField(label=_("Reason for cancelling"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class DelegationForm(BootstrapMixin, forms.Form):
    """Let a colleague of the same unit act on my to-do items for a while (委托)."""

    delegate = forms.ChoiceField(label=_("Colleague"))
    starts_at = forms.DateTimeField(label=pgettext_lazy("delegation period", "From"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=pgettext_lazy("delegation period", "Until"), widget=DATETIME_WIDGET)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False,
                             help_text=_("For example: on a business trip, on leave."))

    def __init__(self, *args, unit=None, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._people = {}
        choices = [("", "—")]
        if unit is not None:
            people = directory_selectors.people_in_unit(unit).order_by("name")
            if actor is not None:
                people = people.exclude(pk=actor.pk)
            for person in people:
                self._people[str(person.pk)] = person
                choices.append((str(person.pk), person.name or person.username))
        self.fields["delegate"].choices = choices
        if not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("starts_at", now)
            self.initial.setdefault("ends_at", now + timedelta(days=7))

    def clean_delegate(self):
        return self._people[self.cleaned_data["delegate"]]

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must come after the start."))
        return data


class UploadDefinitionForm(BootstrapMixin, forms.Form):
    """Upload a changed BPMN 2.0 file as the unit's new version of a process."""

    key = forms.ChoiceField(label=_("Process"))
    name = forms.CharField(label=_("Name"), max_length=100, required=False,
                           help_text=_("Leave empty to keep the current name."))
    file = forms.FileField(label=_("BPMN file"), help_text=_("A .bpmn or .xml file of at most 2 MB."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".bpmn,.xml,application/xml,text/xml"}))

    def __init__(self, *args, keys=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = list(keys)

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_BPMN_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return uploaded.read()
