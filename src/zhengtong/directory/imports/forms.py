"""The upload form of the people import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtong.core.forms import BootstrapMixin
from zhengtong.directory.imports.sheets import MAX_FILE_BYTES, MAX_ROWS


class UploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=pgettext_lazy("people import", "Filled-in sheet (.xlsx)"),
        error_messages={"required": _("Choose the filled-in sheet to upload."),
                        "empty": _("The file is empty.")},
        widget=forms.ClearableFileInput(attrs={
            "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext("An Excel workbook (.xlsx) of at most %(size)s MB and %(rows)s "
                                                "people.") % {"size": MAX_FILE_BYTES // (1024 * 1024),
                                                              "rows": MAX_ROWS}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(gettext("Only Excel workbooks (.xlsx) can be imported. Download the "
                                                "template, fill it in and upload it."), code="extension")
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(gettext("The file is too large: at most %(size)s MB.")
                                        % {"size": MAX_FILE_BYTES // (1024 * 1024)}, code="size")
        return upload
