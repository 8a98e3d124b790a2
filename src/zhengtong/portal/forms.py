"""Forms of the editors' interface: media rules on uploads, article defaults from the column."""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from zhengtong.portal import services

# Wagtail's Chinese catalogue translates Django's "This field is required." as "必需字段", and the
# catalogue of an app listed earlier in INSTALLED_APPS wins: this app (listed before Wagtail) keeps
# the platform's wording on every form, the sign-in page included.
REQUIRED_MESSAGE = _("This field is required.")


@contextmanager
def _audited_refusal(user, kind: str, uploaded):
    """Let a refusal of the media rules through to the form, after auditing the attempt."""
    try:
        yield
    except ValidationError as error:
        services.record_refused_upload(actor=user if getattr(user, "pk", None) else None, kind=kind,
                                       name=getattr(uploaded, "name", "") or "", error=error)
        raise


class ImageForm(BaseImageForm):
    """Pictures become JPEG, 4:3, at most 500 × 375 when uploaded (seed 003 第十七条)."""

    def __init__(self, *args, **kwargs):
        self.uploader = kwargs.get("user")
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None:
            wagtail_to_python = field.to_python

            def to_python(data):
                # Refuse damaged files before Wagtail's own checks, which fail with a server error on some.
                if data is not None and hasattr(data, "read"):
                    with _audited_refusal(self.uploader, "image", data):
                        services.check_image_upload(data)
                return wagtail_to_python(data)

            field.to_python = to_python

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded is None or "file" not in self.changed_data:
            return uploaded
        with _audited_refusal(self.uploader, "image", uploaded):
            return services.normalise_image(uploaded)


class DocumentForm(BaseDocumentForm):
    """Attachments: pdf/doc/docx/xls/xlsx/wps/txt up to 20 MB."""

    def __init__(self, *args, **kwargs):
        self.uploader = kwargs.get("user")
        super().__init__(*args, **kwargs)

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded is not None and "file" in self.changed_data:
            with _audited_refusal(self.uploader, "document", uploaded):
                services.validate_document_upload(uploaded)
        return uploaded


class ArticlePageForm(WagtailAdminPageForm):
    """An article's source defaults to the column's unit; officers choose among their own units."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from zhengtong.directory.models import Department, Unit
        from zhengtong.directory.selectors import is_platform_operator, units_of
        from zhengtong.portal import selectors

        user = self.for_user
        column = selectors.column_of(self.parent_page) if self.parent_page is not None else None
        owner = selectors.responsible_unit_of(column) if column is not None else None
        if user is not None and not is_platform_operator(user) and "source_unit" in self.fields:
            unit_ids = set(units_of(user).values_list("pk", flat=True))
            if owner is not None:
                unit_ids.add(owner.pk)
            if self.instance.source_unit_id:
                unit_ids.add(self.instance.source_unit_id)
            self.fields["source_unit"].queryset = Unit.objects.filter(pk__in=unit_ids)
            if "source_department" in self.fields:
                self.fields["source_department"].queryset = Department.objects.filter(unit_id__in=unit_ids)
        if not self.instance.pk:
            if owner is not None and "source_unit" in self.fields:
                self.initial.setdefault("source_unit", owner.pk)
            if user is not None and "author_name" in self.fields:
                self.initial.setdefault("author_name", getattr(user, "name", ""))

    def clean(self):
        cleaned = super().clean()
        image = cleaned.get("cover_image")
        caption = (cleaned.get("cover_caption") or "").strip()
        if image and not caption:
            self.add_error("cover_caption", ValidationError(_("An image needs a caption (seed 003, article 17)."),
                                                            code="caption_required"))
        unit, department = cleaned.get("source_unit"), cleaned.get("source_department")
        if unit and department and department.unit_id != unit.pk:
            self.add_error("source_department", _("This department is not part of the source unit."))
        return cleaned

    def save(self, commit=True):
        page = super().save(commit=False)
        if page.submitted_by_id is None and self.for_user is not None and self.for_user.is_authenticated:
            page.submitted_by = self.for_user
        if commit:
            page.save()
            self.save_m2m()
        return page
