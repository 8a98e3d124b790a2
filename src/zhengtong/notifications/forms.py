"""Forms of notifications: a person's preferences and the operator's log filter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengtong.core.forms import BootstrapMixin
from zhengtong.notifications import categories
from zhengtong.notifications.models import Message


class PreferenceForm(BootstrapMixin, forms.Form):
    email_enabled = forms.BooleanField(label=_("Send me e-mail"), required=False)
    sms_enabled = forms.BooleanField(label=_("Send me SMS"), required=False)
    muted_categories = forms.MultipleChoiceField(
        label=_("No e-mail or SMS for"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Notices of these kinds still appear in the portal; urgent ones are always sent."))
    quiet_start = forms.TimeField(label=_("Quiet hours from"), required=False,
                                  widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                  error_messages={"invalid": _("Enter a time such as 22:00.")})
    quiet_end = forms.TimeField(label=_("Quiet hours until"), required=False,
                                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                error_messages={"invalid": _("Enter a time such as 07:30.")})

    def __init__(self, *args, extra_categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        known = categories.choices()
        codes = {code for code, _label in known}
        known += [(code, categories.label_for(code)) for code in extra_categories if code not in codes]
        self.fields["muted_categories"].choices = known

    def clean(self):
        data = super().clean()
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if (start is None) != (end is None) and not self.errors:
            raise forms.ValidationError(_("Give both the start and the end of the quiet hours, or neither."))
        if start is not None and start == end:
            raise forms.ValidationError(_("The quiet hours must not start and end at the same time."))
        return data


class MessageFilterForm(BootstrapMixin, forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", _("All channels"))] + list(Message.Channel.choices))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses"))] + list(Message.Status.choices))
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
