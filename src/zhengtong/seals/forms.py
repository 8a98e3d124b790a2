"""Forms of the seal pages: they parse input; the rules and their Chinese messages are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengtong.core.forms import BootstrapMixin
from zhengtong.seals.models import Seal, SealApplication

Action = SealApplication.Action


def _pin_field(label, help_text=""):
    return forms.CharField(label=label, max_length=64, required=False, strip=False, help_text=help_text,
                           widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "inputmode": "text"}))


class ApplicationForm(BootstrapMixin, forms.Form):
    """An application (申请): the fields shown depend on what is applied for (make, change, reissue, revoke)."""

    action = forms.ChoiceField(label=_("Application"), choices=Action.choices, widget=forms.HiddenInput)
    seal = forms.ModelChoiceField(label=_("Seal concerned"), queryset=Seal.objects.none(), required=False)
    seal_type = forms.ChoiceField(label=_("Seal type"), choices=Seal.Type.choices, required=False)
    seal_name = forms.CharField(label=_("Text on the arc"), max_length=120, required=False,
                                help_text=_("The unit's full name (国发〔1999〕25号: 印文使用全称). Empty: the unit's "
                                            "present name."))
    lower_text = forms.CharField(label=_("Text below the star"), max_length=20, required=False,
                                 help_text=_("For a seal for a special purpose, e.g. 公文专用章 or 合同专用章; empty for "
                                             "the unit's official seal."))
    key_storage = forms.ChoiceField(label=_("Where the key is kept"), choices=Seal.KeyStorage.choices,
                                    initial=Seal.KeyStorage.FILE,
                                    help_text=_("An encrypted key file on the seal server, or a PKCS#11 token "
                                                "(USBKey/crypto card) issued by the platform (seed 004 要求 5)."))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                             help_text=_("The written application (书面申请); for a reissue, the written proof of "
                                         "the damage or loss (第二十五条)."))

    FIELDS_BY_ACTION = {
        Action.MAKE: ("action", "seal_type", "seal_name", "lower_text", "key_storage", "reason"),
        Action.CHANGE: ("action", "seal", "seal_name", "lower_text", "key_storage", "reason"),
        Action.REISSUE: ("action", "seal", "key_storage", "reason"),
        Action.REVOKE: ("action", "seal", "reason"),
    }

    def __init__(self, *args, action: str, seals, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action if action in Action.values else Action.MAKE
        self.fields["action"].initial = self.action
        keep = self.FIELDS_BY_ACTION[self.action]
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "seal" in self.fields:
            self.fields["seal"].queryset = seals
            self.fields["seal"].empty_label = _("(choose a seal)")
            self.fields["seal"].label_from_instance = lambda seal: (
                f"{seal.name}（{seal.get_seal_type_display()}{'·' + seal.lower_text if seal.lower_text else ''}）"
                f"{'' if seal.is_active else ' — ' + str(seal.get_revocation_reason_display())}")
            self.fields["seal"].error_messages["invalid_choice"] = _("Choose one of the unit's seals.")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"action": self.action, "seal": data.get("seal"),
                "seal_type": data.get("seal_type") or Seal.Type.OFFICIAL,
                "seal_name": data.get("seal_name", ""), "lower_text": data.get("lower_text", ""),
                "key_storage": data.get("key_storage") or Seal.KeyStorage.FILE, "reason": data.get("reason", "")}


class DecisionForm(BootstrapMixin, forms.Form):
    """Approve or refuse (the button pressed says which); a refusal needs a note."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
                                 widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Required when refusing."))

    @property
    def approve(self) -> bool:
        return self.cleaned_data.get("decision") == "approve"


class ConfirmForm(BootstrapMixin, forms.Form):
    """A confirmation of the making; with the second one the seal keeper present types the initial PIN."""

    pin = _pin_field(_("Initial PIN"), _("Typed by the unit's seal keeper, who is present. 6–16 characters; keep "
                                         "it secret and change it regularly (seed 004 要求 8)."))
    pin_again = _pin_field(_("Initial PIN again"))
    token_label = forms.CharField(label=_("Token label"), max_length=100, required=False,
                                  help_text=_("The label of the PKCS#11 token (USBKey) that will keep the key."))

    def __init__(self, *args, second: bool, pkcs11: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not second:
            for name in ("pin", "pin_again", "token_label"):
                del self.fields[name]
        elif not pkcs11:
            del self.fields["token_label"]
        else:
            self.fields["pin"].label = _("The token's user PIN")
            self.fields["pin"].help_text = _("Typed by the unit's seal keeper, who is present.")
            self.fields["pin_again"].label = _("The token's user PIN again")

    def clean(self):
        data = super().clean()
        if "pin" in self.fields:
            if not data.get("pin"):
                self.add_error("pin", _("Type the initial PIN."))
            elif data.get("pin") != data.get("pin_again"):
                self.add_error("pin_again", _("The two PINs differ."))
        return data


class ChangePinForm(BootstrapMixin, forms.Form):
    old_pin = _pin_field(_("Current PIN"))
    new_pin = _pin_field(_("New PIN"), _("6–16 characters, not all the same or a simple sequence."))
    new_pin_again = _pin_field(_("New PIN again"))

    def clean(self):
        data = super().clean()
        if not data.get("old_pin"):
            self.add_error("old_pin", _("Type the current PIN."))
        if not data.get("new_pin"):
            self.add_error("new_pin", _("Type the new PIN."))
        elif data.get("new_pin") != data.get("new_pin_again"):
            self.add_error("new_pin_again", _("The two PINs differ."))
        return data


class ReportLostForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                           help_text=_("When and how the seal or its key carrier (USBKey) was lost or exposed."))
    understood = forms.BooleanField(label=_("I understand that the seal is revoked at once and can never be used "
                                            "again; the unit applies for a reissue."), required=True,
                                    error_messages={"required": _("Tick the box to confirm.")})


class RevokeForm(BootstrapMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Reason for the revocation"), choices=[
        (Seal.RevocationReason.REQUESTED, Seal.RevocationReason.REQUESTED.label),
        (Seal.RevocationReason.LOST, Seal.RevocationReason.LOST.label),
        (Seal.RevocationReason.UNIT_ENDED, Seal.RevocationReason.UNIT_ENDED.label),
    ])
    note = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class UnlockForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=200,
                           help_text=_("How the seal keeper's identity was checked."))


class SealFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *Seal.Status.choices])
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
