"""验章 and 待联合盖章 pages (/office/seals/verify/, /office/seals/joint/)."""

from __future__ import annotations

import os

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengtong.core.forms import BootstrapMixin
from zhengtong.documents.forms_processing import SealForm
from zhengtong.seals import selectors as seal_selectors
from zhengtong.seals.services import sealing
from zhengtong.seals.verification import verify_pdf

MAX_VERIFY_BYTES = 100 * 1024 * 1024


class VerifyForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("Sealed PDF"),
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
                           error_messages={"required": gettext_lazy("Choose a PDF file.")})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_VERIFY_BYTES:
            raise ValidationError(_("The file is larger than %(size)s MB.") % {"size": MAX_VERIFY_BYTES // 1024 // 1024})
        return upload


@login_required
def verify_view(request):
    """Upload a PDF and see the report of its seals (nothing is stored)."""
    form = VerifyForm(request.POST, request.FILES) if request.method == "POST" else VerifyForm()
    report = None
    filename = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        filename = os.path.basename(upload.name or "")[:200]
        report = verify_pdf(upload.read())
    return render(request, "seals/sealing/verify.html", {"form": form, "report": report, "filename": filename},
                  status=400 if form.errors else 200)


@login_required
def joint_list(request):
    """待联合盖章: joint documents whose next seal is one of the person's units'."""
    return render(request, "seals/sealing/joint_list.html", {"rows": sealing.awaiting_joint_seal(request.user)})


@login_required
def joint_seal(request, pk: int):
    """The joint document as sealed so far, and the form to apply the unit's seal."""
    document, state = sealing.joint_document_for(request.user, pk)
    seals = seal_selectors.usable_seals(request.user, state.next_slot.unit)
    form = None
    if seals.exists():
        form = SealForm(request.POST, seals=seals) if request.method == "POST" else SealForm(seals=seals)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            sealing.seal_document(actor=request.user, document=document, seal=form.cleaned_data["seal"],
                                  pin=form.cleaned_data["pin"])
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "；".join(exc.messages) if isinstance(exc, ValidationError)
                           else (str(exc) or _("You may not use this seal.")))
        else:
            messages.success(request, _("Your unit's seal has been applied to %(title)s.") % {"title": document.title})
            return redirect("seals:joint-list")
    return render(request, "seals/sealing/joint_seal.html", {"document": document, "state": state, "form": form},
                  status=400 if form is not None and form.errors else 200)


@login_required
def joint_pdf(request, pk: int):
    """The PDF the person's unit is about to seal (the lead unit's seal already on it)."""
    document, state = sealing.joint_document_for(request.user, pk)
    response = HttpResponse(sealing.pdf_to_seal(document, state), content_type="application/pdf")
    name = f"{document.number or document.pk}.pdf".replace("/", "-")
    response["Content-Disposition"] = content_disposition_header(request.GET.get("download") == "1", name)
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response
