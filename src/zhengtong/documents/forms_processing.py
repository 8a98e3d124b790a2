"""Forms of the 发文 and 收文 processing pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtong.core.forms import BootstrapMixin
from zhengtong.directory import selectors as directory_selectors
from zhengtong.documents.models import Classification, Kind, Urgency

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

# 密级 as written on a paper document: the platform keeps only the first two (seed 001 第四条).
PAPER_CLASSIFICATIONS = [
    *Classification.choices,
    ("secret", _("Secret (秘密)")),
    ("confidential", _("Confidential (机密)")),
    ("top_secret", _("Top secret (绝密)")),
]


def department_choices(unit):
    return [(department.pk, department.name) for department in directory_selectors.departments_of(unit)
            .order_by("sort_order", "pk")]


def people_choices(unit):
    return [(person.pk, person.name) for person in directory_selectors.people_in_unit(unit)
            .order_by("name")]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ActionForm(BootstrapMixin, forms.Form):
    """Every step action: the revision the page showed, the action, an opinion."""

    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    action = forms.CharField(max_length=30, widget=forms.HiddenInput)
    opinion = forms.CharField(label=_("Opinion"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class SendBackForm(BootstrapMixin, forms.Form):
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    to_step = forms.ChoiceField(label=_("Send back to"))
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_step"].choices = [(step, label) for step, label, *_rest in targets]


class SubmitForm(BootstrapMixin, forms.Form):
    """送审: the countersigning departments (会签) may be chosen here."""

    countersign_departments = forms.TypedMultipleChoiceField(
        label=_("Countersigning departments (会签)"), required=False, coerce=int,
        widget=forms.CheckboxSelectMultiple)
    opinion = forms.CharField(label=_("Note to the reviewer"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, unit=None, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countersign_departments"].choices = [
            (pk, name) for pk, name in department_choices(unit) if pk != exclude]


class CountersignChoiceForm(SubmitForm):
    pass


class DistributeForm(BootstrapMixin, forms.Form):
    people = forms.TypedMultipleChoiceField(label=_("People"), required=False, coerce=int,
                                            widget=forms.CheckboxSelectMultiple)
    departments = forms.TypedMultipleChoiceField(label=_("Whole departments"), required=False, coerce=int,
                                                 widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = people_choices(unit)
        self.fields["departments"].choices = department_choices(unit)


class DirectForm(BootstrapMixin, forms.Form):
    """批办: the directive, the lead and co-handling departments, the deadline, the readers (传阅)."""

    directive = forms.CharField(label=_("Directive (批示)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    lead_department = forms.TypedChoiceField(label=_("Lead department (承办科室)"), coerce=int)
    co_departments = forms.TypedMultipleChoiceField(label=_("Co-handling departments (协办科室)"), required=False,
                                                    coerce=int, widget=forms.CheckboxSelectMultiple)
    deadline_days = forms.IntegerField(label=_("Deadline in working days"), required=False, min_value=1,
                                       max_value=250)
    circulate_to = forms.TypedMultipleChoiceField(label=_("Circulate to (传阅)"), required=False, coerce=int,
                                                  widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        departments = department_choices(unit)
        self.fields["lead_department"].choices = [("", "—"), *departments]
        self.fields["co_departments"].choices = departments
        self.fields["circulate_to"].choices = people_choices(unit)


class TransferForm(BootstrapMixin, forms.Form):
    to_department = forms.TypedChoiceField(label=_("To department"), coerce=int, required=False, empty_value=None)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_department"].choices = [("", "—"), *department_choices(unit)]


class FinishForm(BootstrapMixin, forms.Form):
    result = forms.CharField(label=_("Result (办理结果)"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class UrgeForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class RegisterForm(BootstrapMixin, forms.Form):
    """登记录入 of a paper document (seed 004 三.3)."""

    source_unit_name = forms.CharField(label=_("From (来文单位)"), max_length=200)
    source_number = forms.CharField(label=_("Their number (来文字号)"), max_length=60, required=False)
    title = forms.CharField(label=pgettext_lazy("document", "Title"), max_length=300)
    kind = forms.ChoiceField(label=pgettext_lazy("document", "Kind"), choices=Kind.choices, initial=Kind.NOTICE)
    copies = forms.IntegerField(label=_("Copies (份数)"), min_value=1, max_value=999, initial=1)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    classification = forms.ChoiceField(label=_("Classification (密级)"), choices=PAPER_CLASSIFICATIONS,
                                       initial=Classification.NONE)
    received_at = forms.DateTimeField(label=_("Received at"), widget=DATETIME_WIDGET,
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"])
    notes = forms.CharField(label=_("Notes"), required=False, max_length=1000,
                            widget=forms.Textarea(attrs={"rows": 2}))
    files = MultipleFileField(label=_("Scans and attachments"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))


class SealForm(BootstrapMixin, forms.Form):
    """盖章: which of the unit's seals, and its PIN (the seals service checks both)."""

    seal = forms.ModelChoiceField(label=_("Seal"), queryset=None, empty_label=None)
    pin = forms.CharField(label=_("Seal PIN"), max_length=64, strip=False,
                          widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "text"}),
                          error_messages={"required": _("Enter the seal's PIN.")})

    def __init__(self, *args, seals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seal"].queryset = seals
        self.fields["seal"].label_from_instance = lambda seal: (
            f"{seal.name} · {seal.get_seal_type_display()} · {seal.serial_number[-8:]}")
