"""Forms of the working-day calendar: a year from the State Council's notice, windows, cutoff."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtong.core.forms import BootstrapMixin
from zhengtong.workdays.services import Problem, WindowInput

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

# The festivals of the State Council's notice, in its order: the rows a new year starts with.
FESTIVALS = ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]


class NoticeForm(BootstrapMixin, forms.Form):
    notice = forms.CharField(label=_("State Council notice"), max_length=100,
                             help_text=_("The notice's number, e.g. 国办发明电〔2026〕5号."),
                             widget=forms.TextInput(attrs={"placeholder": "国办发明电〔2026〕5号"}))


class HolidayRowForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Holiday"), max_length=50, required=False)
    start = forms.DateField(label=_("First day"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=_("Last day"), required=False, widget=DATE_WIDGET)

    def is_blank(self) -> bool:
        """A row without dates is not entered (its festival name may just be the preset one)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not data.get("start") and not data.get("end") and not self.errors.get("start") \
            and not self.errors.get("end")


class WorkdayRowForm(BootstrapMixin, forms.Form):
    date = forms.DateField(label=_("Date"), required=False, widget=DATE_WIDGET)
    name = forms.CharField(label=_("For the holiday"), max_length=50, required=False)

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not data.get("date") and not data.get("name") and not self.errors.get("date")


HolidayFormSet = forms.formset_factory(HolidayRowForm, extra=0)
WorkdayFormSet = forms.formset_factory(WorkdayRowForm, extra=0)


class CutoffForm(BootstrapMixin, forms.Form):
    cutoff = forms.TimeField(label=_("Exchange cutoff"), widget=TIME_WIDGET,
                             help_text=_("Documents sent or received before this time on a working day count "
                                         "as that day's; later ones as the next working day's."))


class WindowRowForm(BootstrapMixin, forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=20, required=False)
    start = forms.TimeField(label=_("Opens"), required=False, widget=TIME_WIDGET)
    end = forms.TimeField(label=_("Closes"), required=False, widget=TIME_WIDGET)
    sort_order = forms.IntegerField(label=pgettext_lazy("receiving window", "Order"), required=False,
                                    min_value=0, max_value=999)
    active = forms.BooleanField(label=pgettext_lazy("receiving window", "Active"), required=False, initial=True)

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not data.get("pk") and not data.get("name") and not data.get("start") and not data.get("end") \
            and not self.errors

    def window(self) -> WindowInput:
        data = self.cleaned_data
        return WindowInput(name=data.get("name") or "", start=data.get("start"), end=data.get("end"),
                           sort_order=data.get("sort_order") or 0, active=bool(data.get("active")),
                           pk=data.get("pk"))


WindowFormSet = forms.formset_factory(WindowRowForm, extra=1)


def entered_rows(formset) -> list[tuple[int, forms.Form]]:
    """The rows someone filled in, with their position in the formset."""
    return [(index, form) for index, form in enumerate(formset.forms) if not form.is_blank()]


def show_problems(problems: list[Problem], *, form: forms.Form, sections: dict[str, list[tuple[int, forms.Form]]]):
    """Put each problem next to the field it is about; the rest at the top of ``form``."""
    for problem in problems:
        if problem.section in sections and problem.index is not None:
            _index, row = sections[problem.section][problem.index]
            row.add_error(problem.field, problem.message)
        elif problem.field in form.fields:
            form.add_error(problem.field, problem.message)
        else:
            form.add_error(None, problem.message)
