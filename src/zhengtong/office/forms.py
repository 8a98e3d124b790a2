from django import forms
from django.utils.translation import gettext_lazy as _

from zhengtong.core.forms import BootstrapMixin
from zhengtong.directory.validators import validate_mobile


class PersonalSettingsForm(BootstrapMixin, forms.Form):
    mobile = forms.CharField(
        label=_("Mobile number"), max_length=11, required=False, validators=[validate_mobile],
        help_text=_("Used for SMS reminders of documents and deadlines: keep it up to date."),
        error_messages={"mobile": _("Enter an 11-digit mobile number starting with 1, e.g. 13812345678."),
                        "max_length": _("Enter an 11-digit mobile number starting with 1, e.g. 13812345678.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}))
    email = forms.EmailField(label=_("E-mail"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))

