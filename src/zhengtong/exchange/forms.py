"""Forms of the exchange pages: sending, returning, recipient groups, the platform's settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtong.core.forms import BootstrapMixin
from zhengtong.directory.models import Unit, UnitCategory
from zhengtong.exchange.models import Dispatch, ExchangeSettings
from zhengtong.exchange.services.sending import MAX_COPIES


class SendForm(BootstrapMixin, forms.Form):
    """主送 and 抄送 units from the tree (第三十一条), copies per unit (``copies_<pk>``), category and note."""

    category = forms.ChoiceField(label=pgettext_lazy("exchange", "Category"), choices=Dispatch.Category.choices,
                                 widget=forms.RadioSelect, initial=Dispatch.Category.DOCUMENT,
                                 help_text=_("Notices (通知、会议通知) must be opened within 10 minutes of delivery."))
    main = forms.TypedMultipleChoiceField(label=_("Main recipients (主送)"), coerce=int, required=False)
    copy = forms.TypedMultipleChoiceField(label=_("Copy recipients (抄送)"), coerce=int, required=False)
    default_copies = forms.IntegerField(label=_("Copies each unit may print"), min_value=1, max_value=MAX_COPIES)
    note = forms.CharField(label=_("Note to the recipients"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    contact = forms.CharField(label=_("Contact person and phone"), required=False, max_length=100)

    def __init__(self, *args, unit_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(pk, str(pk)) for pk in unit_ids]
        self.fields["main"].choices = choices
        self.fields["copy"].choices = choices

    def copies(self) -> dict[int, int]:
        """Per-unit copies typed next to a unit; blank means the default."""
        result = {}
        default = self.cleaned_data["default_copies"]
        for pk in [*self.cleaned_data["main"], *self.cleaned_data["copy"]]:
            raw = (self.data.get(f"copies_{pk}") or "").strip()
            result[pk] = raw or default
        return result


class ReturnForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("What the check found wrong: the sender sees it."))


class GroupForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=pgettext_lazy("exchange", "Name"), max_length=60)
    units = forms.ModelMultipleChoiceField(label=pgettext_lazy("exchange", "Units"), required=False,
                                           queryset=Unit.objects.filter(status=Unit.Status.ACTIVE),
                                           widget=forms.CheckboxSelectMultiple)
    categories = forms.ModelMultipleChoiceField(label=_("All units of these categories"), required=False,
                                                queryset=UnitCategory.objects.all(),
                                                widget=forms.CheckboxSelectMultiple)


class SettingsForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ExchangeSettings
        fields = ["allow_urgent", "sms_for_urgent", "notice_alert_minutes", "notice_sms_minutes",
                  "notice_overdue_minutes", "default_copies"]
