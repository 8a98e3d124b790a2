from django import forms
from django.utils.translation import gettext_lazy as _

from zhengtong.core.forms import BootstrapMixin
from zhengtong.directory.validators import validate_mobile


class PersonalSettingsForm(BootstrapMixin, forms.Form):
    mobile = forms.CharField(label=_("Mobile number"), max_length=11, required=False, validators=[validate_mobile],
                             help_text=_("Used for SMS reminders (seed 001 第十六条): keep it up to date."),
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}))
    email = forms.EmailField(label=_("E-mail"), required=False)
