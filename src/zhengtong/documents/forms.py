"""Forms of the drafting pages: they parse input; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtong.core.forms import BootstrapMixin
from zhengtong.directory import selectors as directory_selectors
from zhengtong.directory.models import Department, Unit
from zhengtong.documents import text as body_text
from zhengtong.documents.models import (
    FILE_SIZE_LIMIT,
    Classification,
    FlowDirection,
    Kind,
    RedHeaderTemplate,
    Urgency,
    default_flow_direction,
)
from zhengtong.documents.services._common import SECRET_WORDS

INDENT = "\u3000"
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LEVEL_LABELS = [(0, _("Paragraph")), (1, "一、"), (2, "（一）"), (3, "1."), (4, "（1）")]


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DraftForm(BootstrapMixin, forms.Form):
    """起草 and 修改: the kind, the elements a drafter sets, and the body as JSON blocks."""

    kind = forms.ChoiceField(label=_("Kind (文种)"), choices=Kind.choices, initial=Kind.NOTICE)
    flow_direction = forms.ChoiceField(label=_("Flow direction (行文方向)"),
                                       choices=[("", _("By kind")), *FlowDirection.choices], required=False,
                                       help_text=_("请示 and 报告 are upward (上行文) and need a 签发人."))
    title = forms.CharField(label=_("Title (标题)"), max_length=300,
                            widget=forms.TextInput(attrs={"placeholder": _("鹤山区农业农村局关于……的通知")}))
    main_recipients = forms.CharField(label=_("Main recipients (主送机关)"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    urgency = forms.ChoiceField(label=_("Urgency (紧急程度)"), choices=Urgency.choices, initial=Urgency.NORMAL)
    classification = forms.CharField(
        label=_("Classification (密级)"), initial=Classification.NONE,
        widget=forms.Select(choices=Classification.choices),
        help_text=_("Classified documents (秘密, 机密, 绝密) may not be handled on this platform."))
    copy_number = forms.CharField(label=_("Copy number (份号)"), max_length=20, required=False)
    red_header = forms.ModelChoiceField(label=_("Red header (发文机关标志)"), queryset=RedHeaderTemplate.objects.none(),
                                        required=False, empty_label=_("The unit's default"))
    drafting_department = DepartmentChoiceField(label=_("Drafting department (拟稿科室)"),
                                                queryset=Department.objects.none(), required=False)
    countersign_departments = forms.ModelMultipleChoiceField(
        label=_("Countersigning departments (会签科室)"), queryset=Department.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    co_issuers = forms.ModelMultipleChoiceField(
        label=_("Co-issuing units (联合发文单位)"), queryset=Unit.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("Hold Ctrl to choose several units; leave empty for a document of this unit alone."))
    cc = forms.CharField(label=_("Copies to (抄送机关)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    printer = forms.CharField(label=_("Printed by (印发机关)"), max_length=100, required=False)
    notes = forms.CharField(label=_("Notes (附注)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    attachment_note = forms.CharField(label=_("Attachment note (附件说明)"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text=_("One attachment title per line, in order."))
    body = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-body-json": ""}))
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["red_header"].queryset = RedHeaderTemplate.objects.filter(unit=unit).order_by("-is_default", "name")
        departments = Department.objects.filter(unit=unit, pk__in=[d.pk for d, _depth in
                                                                   directory_selectors.flat_department_tree(unit)])
        self.fields["drafting_department"].queryset = departments
        self.fields["countersign_departments"].queryset = departments
        self.fields["countersign_departments"].label_from_instance = lambda obj: obj.name
        self.fields["co_issuers"].queryset = (Unit.objects.filter(status=Unit.Status.ACTIVE).exclude(pk=unit.pk)
                                              .order_by("name"))
        self.fields["kind"].widget.attrs["data-flow-defaults"] = ",".join(
            f"{kind}:{default_flow_direction(kind)}" for kind in Kind.values)

    def clean_classification(self):
        value = self.cleaned_data["classification"]
        if value in SECRET_WORDS or value not in Classification.values:
            raise forms.ValidationError(_("Classified documents (秘密, 机密 or 绝密) may not be drafted or handled "
                                          "on this platform; handle them offline under the secrecy rules."))
        return value

    def clean_body(self):
        try:
            blocks = body_text.normalise_blocks(self.cleaned_data["body"])
        except ValueError:
            raise forms.ValidationError(_("The body could not be read; reload the page and try again.")) from None
        return blocks

    def elements(self) -> dict:
        """The cleaned values as keyword arguments of create_draft / update_draft."""
        data = dict(self.cleaned_data)
        data.pop("note", None)
        data["flow_direction"] = data["flow_direction"] or default_flow_direction(data["kind"])
        data["attachment_note"] = [line.strip() for line in data["attachment_note"].splitlines() if line.strip()]
        data["countersign_departments"] = [d.pk for d in data["countersign_departments"]]
        data["co_issuers"] = list(data["co_issuers"])
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > FILE_SIZE_LIMIT:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        if file.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return file


class CompareForm(forms.Form):
    a = forms.IntegerField(min_value=1)
    b = forms.IntegerField(min_value=1)


def _year_choices():
    this_year = timezone.localdate().year
    return [(year, str(year)) for year in range(this_year + 1, 2009, -1)]


class LedgerSearchForm(BootstrapMixin, forms.Form):
    """Search of a ledger: year, words, number, source unit, kind, date range."""

    year = forms.TypedChoiceField(label=pgettext_lazy("document", "Year"), coerce=int, choices=_year_choices, required=False)
    q = forms.CharField(label=_("Title or number"), required=False, max_length=100)
    number = forms.CharField(label=_("Number"), required=False, max_length=60)
    source = forms.CharField(label=_("Unit"), required=False, max_length=100)
    kind = forms.ChoiceField(label=pgettext_lazy("document", "Kind"), choices=[("", _("All kinds")), *Kind.choices], required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def search(self):
        from zhengtong.documents.selectors import LedgerFilter

        data = self.cleaned_data if self.is_valid() else {}
        return LedgerFilter(year=data.get("year") or timezone.localdate().year, q=data.get("q", ""),
                            number=data.get("number", ""), source=data.get("source", ""),
                            kind=data.get("kind", ""), date_from=data.get("date_from"),
                            date_to=data.get("date_to"))


class RegisterForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, widget=forms.TextInput(attrs={"placeholder": "局发文"}))
    prefix = forms.CharField(label=_("Prefix (机关代字)"), max_length=30,
                             widget=forms.TextInput(attrs={"placeholder": "鹤农发"}),
                             help_text=_("Numbers read like 鹤农发〔2026〕12号."))
    kinds = forms.MultipleChoiceField(label=_("Kinds"), choices=Kind.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text=_("Leave empty for a register that serves any kind."))
    is_active = forms.BooleanField(label=_("Open for new numbers"), required=False, initial=True)


class VoidForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class RedHeaderForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    lines = forms.CharField(label=_("Authority names"), widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("One per line; a joint document stacks several."))
    suffix = forms.CharField(label=_("Suffix"), max_length=10, required=False, initial="文件")
    color = forms.CharField(label=_("Colour"), max_length=7, initial="#E60012",
                            widget=forms.TextInput(attrs={"type": "color"}))
    kinds = forms.MultipleChoiceField(label=_("Kinds"), choices=Kind.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text=_("Leave empty for a template that serves any kind."))
    is_default = forms.BooleanField(label=_("Default template of the unit"), required=False)


def parse_year(value, default: int | None = None) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default or timezone.localdate().year
    return year if 2000 <= year <= 2100 else (default or timezone.localdate().year)


__all__ = ["AttachmentForm", "CompareForm", "DraftForm", "LedgerSearchForm", "RedHeaderForm", "RegisterForm",
           "VoidForm", "LEVEL_LABELS", "parse_year"]
