"""The filter of the audit trail list."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from zhengtong.audit.actions import known_actions
from zhengtong.audit.selectors import RecordFilter
from zhengtong.core.forms import BootstrapMixin


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AuditFilterForm(BootstrapMixin, forms.Form):
    """Time range, actor, unit (platform operators only), action and object; plus the page keys."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput(),
                                error_messages={"invalid": _("Enter a date such as 2026-03-01.")})
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput(),
                              error_messages={"invalid": _("Enter a date such as 2026-03-31.")})
    actor = forms.CharField(label=_("Actor"), max_length=80, required=False,
                            widget=forms.TextInput(attrs={"placeholder": _("Name or username")}))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False, empty_label=_("All units"),
                                  error_messages={"invalid_choice": _("Choose a unit from the list.")})
    action = forms.ChoiceField(label=_("Action"), required=False,
                               error_messages={"invalid_choice": _("Choose an action from the list.")})
    object = forms.CharField(label=_("Object"), max_length=200, required=False,
                             widget=forms.TextInput(attrs={"placeholder": _("Name, number or summary")}))
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    after = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, units=None, **kwargs):
        """``units`` is the queryset of units to filter by, or None when the unit is not the person's choice."""
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units
            self.fields["unit"].label_from_instance = lambda unit: unit.name
        self.fields["action"].choices = [("", _("All actions")), *known_actions()]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return cleaned

    def criteria(self) -> RecordFilter:
        data = self.cleaned_data
        unit = data.get("unit")
        return RecordFilter(date_from=data.get("date_from"), date_to=data.get("date_to"),
                            actor=data.get("actor", "").strip(), unit_id=unit.pk if unit else None,
                            action=data.get("action", ""), object_text=data.get("object", "").strip())

    def query_string(self) -> str:
        """The filter (without page keys) as a query string, for the page and export links."""
        query = QueryDict(mutable=True)
        if self.is_bound:
            for name in self.fields:
                if name not in ("before", "after") and self.data.get(name):
                    query[name] = self.data.get(name)
        return query.urlencode()
