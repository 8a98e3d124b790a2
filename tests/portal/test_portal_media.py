"""Media rules (seed 003 第十七条): JPEG, 4:3, at most 500 × 375, with a caption; upload types and sizes."""

from __future__ import annotations

import io
import re

import pytest

from zhengtong.audit.models import AuditRecord
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from zhengtong.portal import services
from zhengtong.portal.forms import ArticlePageForm
from zhengtong.portal.models import ArticlePage


def _png(width=4000, height=3000, name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 60)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _open_stored(file_field) -> Image.Image:
    file_field.open("rb")
    try:
        picture = Image.open(io.BytesIO(file_field.read()))
        picture.load()
        return picture
    finally:
        file_field.close()


def test_large_png_uploaded_in_cms_is_served_as_a_small_jpeg(web, signed_in, client, make_article):
    editor = signed_in(web.officer)
    response = editor.post("/cms/images/add/", {"title": "田间", "file": _png()})
    assert response.status_code == 302, response.content.decode()[:2000]
    image = get_image_model().objects.get(title="田间")
    stored = _open_stored(image.file)
    assert stored.format == "JPEG"
    assert stored.size[0] <= 500 and stored.size[1] <= 375
    assert stored.size[0] * 3 == stored.size[1] * 4  # 4:3

    article = make_article(web.agriculture, cover_image=image, cover_caption="田间管理现场")
    client.logout()
    html = client.get(article.url).content.decode()
    src = re.search(r'<img src="([^"]+)"[^>]*alt="田间管理现场"', html).group(1)
    rendition = image.renditions.get(file__endswith=src.rsplit("/", 1)[-1])
    served = _open_stored(rendition.file)
    assert served.format == "JPEG"
    assert served.size[0] <= 500 and served.size[1] <= 375


def test_a_small_picture_is_cropped_to_four_by_three_and_not_enlarged():
    result = Image.open(io.BytesIO(services.normalise_image(_png(320, 320, "square.gif")).read()))
    assert result.format == "JPEG" and result.size == (320, 240)


@pytest.mark.parametrize("name", ["virus.exe", "page.html", "vector.svg"])
def test_other_picture_types_are_refused(name, web, signed_in):
    with pytest.raises(ValidationError) as caught:
        services.normalise_image(SimpleUploadedFile(name, b"x" * 100))
    assert "JPG" in caught.value.messages[0]
    response = signed_in(web.officer).post("/cms/images/add/", {"title": "坏文件", "file": SimpleUploadedFile(name, b"x")})
    assert not get_image_model().objects.filter(title="坏文件").exists()
    assert response.status_code == 200  # the form again, with the error


def test_an_unreadable_picture_is_refused(web, signed_in):
    with pytest.raises(ValidationError) as caught:
        services.normalise_image(SimpleUploadedFile("broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 50))
    assert "不是" in caught.value.messages[0] or "not a picture" in caught.value.messages[0]
    signed_in(web.officer).post("/cms/images/add/", {"title": "坏图", "file": SimpleUploadedFile(
        "broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 50)})
    assert not get_image_model().objects.filter(title="坏图").exists()
    refused = AuditRecord.objects.get(action="portal.upload.refuse", actor_id=web.officer.pk)
    assert refused.changes["file"] == "broken.png" and refused.changes["kind"] == "image"


def test_pictures_over_ten_megabytes_are_refused():
    big = SimpleUploadedFile("big.jpg", b"0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as caught:
        services.normalise_image(big)
    assert caught.value.code == "file_size"


def test_document_types_and_sizes(web, signed_in):
    services.validate_document_upload(SimpleUploadedFile("通知.pdf", b"%PDF-1.4"))
    services.validate_document_upload(SimpleUploadedFile("报表.wps", b"x"))
    with pytest.raises(ValidationError) as caught:
        services.validate_document_upload(SimpleUploadedFile("run.exe", b"MZ"))
    assert caught.value.code == "file_type"
    too_big = SimpleUploadedFile("大文件.pdf", b"x")
    too_big.size = 20 * 1024 * 1024 + 1
    with pytest.raises(ValidationError) as caught:
        services.validate_document_upload(too_big)
    assert caught.value.code == "file_size"
    editor = signed_in(web.officer)
    editor.post("/cms/documents/add/", {"title": "可执行文件", "file": SimpleUploadedFile("run.exe", b"MZ")})
    assert not get_document_model().objects.filter(title="可执行文件").exists()
    response = editor.post("/cms/documents/add/", {"title": "通知附件", "file": SimpleUploadedFile("n.pdf", b"%PDF")})
    assert response.status_code == 302
    assert get_document_model().objects.filter(title="通知附件").exists()


def test_an_article_image_needs_a_caption(web, make_article):
    image = services.add_image(actor=None, title="无说明", file=_png(800, 600))
    article = ArticlePage(title="配图文章", slug="pic", body="<p>正文</p>", cover_image=image, cover_caption=" ")
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert "cover_caption" in caught.value.message_dict
    article.cover_caption = "现场照片"
    web.agriculture.add_child(instance=article)  # with a caption it saves
    assert ArticlePage.objects.filter(pk=article.pk).exists()


def test_the_editor_form_reports_a_missing_caption(web, signed_in):
    from .test_portal_permissions import _add_url, _article_post

    image = services.add_image(actor=None, title="缺说明", file=_png(800, 600))
    response = signed_in(web.officer).post(_add_url(web.agriculture),
                                           _article_post("缺图片说明的文章", cover_image=str(image.pk)))
    assert response.status_code == 200
    assert not ArticlePage.objects.filter(title="缺图片说明的文章").exists()
    assert ArticlePageForm  # the admin form class is the one carrying the rule
    assert "cover_caption" in response.context["form"].errors
