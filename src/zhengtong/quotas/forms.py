"""Forms of the update quotas: a rule, and the month a page shows."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtong.core.forms import BootstrapMixin
from zhengtong.directory.models import Unit
from zhengtong.quotas.models import QuotaRule
from zhengtong.quotas.services import column_choices


class RuleForm(BootstrapMixin, forms.Form):
    """Parses a rule; the checks with their Chinese messages are the service's (``check_rule``)."""

    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    column_keys = forms.MultipleChoiceField(label=_("Columns counted"), required=False,
                                            widget=forms.SelectMultiple(attrs={"size": 8}),
                                            help_text=_("Hold Ctrl to choose several columns."))
    scope = forms.ChoiceField(label=_("Applies to"), choices=QuotaRule.Scope.choices)
    unit = forms.ModelChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.none(),
                                  help_text=_("For one named unit, or whose departments are assessed "
                                              "(empty: the departments of the column's responsible unit)."))
    period = forms.ChoiceField(label=pgettext_lazy("quota", "Period"), choices=QuotaRule.Period.choices)
    minimum = forms.IntegerField(label=_("Minimum number of articles"), required=False,
                                 error_messages={"invalid": _("Enter a whole number.")})
    part = forms.ChoiceField(label=_("Assessment part"), choices=QuotaRule.Part.choices)
    weight = forms.IntegerField(label=_("Weight"), required=False, initial=10,
                                help_text=_("The rule's share of its part's 100 points, relative to the other rules."),
                                error_messages={"invalid": _("Enter a whole number.")})
    remind_days = forms.IntegerField(label=_("Remind this many working days before the end"), required=False,
                                     initial=2, help_text=_("0: no reminder."),
                                     error_messages={"invalid": _("Enter a whole number.")})
    active = forms.BooleanField(label=pgettext_lazy("quota rule", "Active"), required=False, initial=True)
    sort_order = forms.IntegerField(label=pgettext_lazy("quota rule", "Sort order"), required=False, initial=0, min_value=0,
                                    error_messages={"invalid": _("Enter a whole number.")})
    notes = forms.CharField(label=_("Notes (seed reference)"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column_keys"].choices = column_choices()
        self.fields["unit"].queryset = Unit.objects.filter(status=Unit.Status.ACTIVE).order_by(
            "category__sort_order", "sort_order", "id")
        self.fields["unit"].empty_label = _("(none)")
        self.fields["column_keys"].error_messages["invalid_choice"] = _(
            "Unknown column: %(value)s. Choose columns of the website.")

    @staticmethod
    def initial_from(rule: QuotaRule) -> dict:
        return {"name": rule.name, "column_keys": rule.column_keys, "scope": rule.scope, "unit": rule.unit,
                "period": rule.period, "minimum": rule.minimum, "part": rule.part, "weight": rule.weight,
                "remind_days": rule.remind_days, "active": rule.active, "sort_order": rule.sort_order,
                "notes": rule.notes}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"], "column_keys": data["column_keys"], "scope": data["scope"],
                "unit": data["unit"], "period": data["period"], "minimum": data["minimum"], "part": data["part"],
                "weight": data["weight"], "remind_days": data["remind_days"], "active": data["active"],
                "sort_order": data["sort_order"] or 0, "notes": data["notes"]}
