"""Exchange pages: inbox, delivery, send form, tracking, groups, settings, the JSON API — and outsiders."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from zhengtong.exchange.models import Delivery, Dispatch, RecipientGroup
from zhengtong.exchange.services import receiving, sending

try:
    from .core_helpers import more_units, pdf_bytes, sealed_document
except ImportError:
    from core_helpers import more_units, pdf_bytes, sealed_document

pytestmark = pytest.mark.django_db


def _sent(cast, **kwargs):
    kwargs.setdefault("main_units", [cast.other_unit])
    return sending.send_document(actor=cast.clerk, document=sealed_document(cast), **kwargs)


def test_the_inbox_lists_the_units_deliveries_only(cast, signed_in):
    dispatch = _sent(cast)
    page = signed_in(cast.outsider).get(reverse("exchange:inbox"))
    assert page.status_code == 200
    text = page.content.decode()
    assert dispatch.title in text and 'data-testid="deliveries"' in text
    # The sending unit's clerk has an empty inbox; someone who is no clerk gets 404.
    assert dispatch.title not in signed_in(cast.clerk).get(reverse("exchange:inbox")).content.decode()
    assert signed_in(cast.section_chief).get(reverse("exchange:inbox")).status_code == 404


def test_opening_checking_and_signing_for_in_the_browser(cast, signed_in):
    delivery = _sent(cast).deliveries.get()
    client = signed_in(cast.outsider)
    page = client.get(reverse("exchange:delivery", args=[delivery.pk]))
    assert page.status_code == 200 and 'data-testid="sign"' in page.content.decode()
    delivery.refresh_from_db()
    assert delivery.opened_by == cast.outsider
    assert client.get(reverse("exchange:delivery-pdf", args=[delivery.pk])).getvalue() == pdf_bytes()
    assert client.post(reverse("exchange:check", args=[delivery.pk])).status_code == 302
    response = client.post(reverse("exchange:sign", args=[delivery.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("exchange:inbox")
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SIGNED and delivery.incoming_document is not None
    received = client.get(reverse("exchange:received")).content.decode()
    assert delivery.dispatch.title in received


def test_returning_without_a_reason_changes_nothing(cast, signed_in):
    delivery = _sent(cast).deliveries.get()
    client = signed_in(cast.outsider)
    response = client.post(reverse("exchange:return", args=[delivery.pk]), {"reason": ""}, follow=True)
    assert "退回" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    client.post(reverse("exchange:return", args=[delivery.pk]), {"reason": "文号有误"})
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.RETURNED and delivery.return_reason == "文号有误"


def test_outsiders_see_no_delivery(cast, signed_in):
    delivery = _sent(cast).deliveries.get()
    (_town, town_clerk), = more_units(1)
    for someone in (cast.clerk, cast.leader, town_clerk):
        client = signed_in(someone)
        for name in ("exchange:delivery", "exchange:delivery-pdf", "exchange:api-delivery-pdf"):
            assert client.get(reverse(name, args=[delivery.pk])).status_code == 404, (someone, name)
        for name in ("exchange:check", "exchange:sign"):
            assert client.post(reverse(name, args=[delivery.pk])).status_code == 404
        assert client.post(reverse("exchange:return", args=[delivery.pk]), {"reason": "x"}).status_code == 404
    delivery.refresh_from_db()
    assert delivery.opened_at is None and delivery.status == Delivery.Status.PENDING


def test_sending_from_the_send_page(cast, signed_in):
    (town, _clerk), = more_units(1)
    document = sealed_document(cast)
    client = signed_in(cast.clerk)
    page = client.get(reverse("exchange:send", args=[document.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert town.name in text and cast.other_unit.name in text and f'name="main" value="{cast.unit.pk}"' not in text
    # The saved groups reach the page's script as a list of units.
    group = sending.create_group(actor=cast.clerk, owner_unit=cast.unit, name="常用", units=[town])
    page = client.get(reverse("exchange:send", args=[document.pk])).content.decode()
    script = page.split('id="exchange-groups" type="application/json">')[1].split("</script>")[0]
    assert json.loads(script) == [{"pk": group.pk, "name": "常用", "platform": False, "units": [town.pk]}]
    response = client.post(reverse("exchange:send", args=[document.pk]), {
        "category": "document", "main": [cast.other_unit.pk], "copy": [town.pk], "default_copies": 3,
        f"copies_{town.pk}": "1", "note": "请查收", "contact": ""})
    dispatch = Dispatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exchange:tracking", args=[dispatch.pk])
    copies = dict(dispatch.deliveries.values_list("unit_id", "copies_allowed"))
    assert copies == {cast.other_unit.pk: 3, town.pk: 1}
    # The document page links to the send form and to the tracking page.
    detail = client.get(document.get_absolute_url()).content.decode()
    assert reverse("exchange:send", args=[document.pk]) in detail
    assert reverse("exchange:tracking", args=[dispatch.pk]) in detail


def test_a_refused_send_shows_why(cast, signed_in):
    document = sealed_document(cast, sealed=False)
    response = signed_in(cast.clerk).post(reverse("exchange:send", args=[document.pk]), {
        "category": "document", "main": [cast.other_unit.pk], "default_copies": 2})
    assert response.status_code in (400, 404)
    assert not Dispatch.objects.exists()
    document = sealed_document(cast)
    response = signed_in(cast.clerk).post(reverse("exchange:send", args=[document.pk]), {
        "category": "document", "default_copies": 2})
    assert response.status_code == 400 and "主送" in response.content.decode()


def test_only_the_units_senders_reach_the_send_page(cast, signed_in):
    document = sealed_document(cast)
    for someone in (cast.outsider, cast.section_chief):
        assert signed_in(someone).get(reverse("exchange:send", args=[document.pk])).status_code == 404


def test_the_tracking_page_and_urging(cast, signed_in):
    dispatch = _sent(cast)
    delivery = dispatch.deliveries.get()
    receiving.open_delivery(actor=cast.outsider, delivery=delivery)
    client = signed_in(cast.clerk)
    page = client.get(reverse("exchange:tracking", args=[dispatch.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and cast.other_unit.name in text and 'data-count="opened">1<' in text
    assert client.post(reverse("exchange:urge", args=[dispatch.pk, delivery.pk])).status_code == 302
    delivery.refresh_from_db()
    assert delivery.urge_count == 1
    assert signed_in(cast.leader).get(reverse("exchange:tracking", args=[dispatch.pk])).status_code == 200
    sent = signed_in(cast.clerk).get(reverse("exchange:sent")).content.decode()
    assert dispatch.title in sent and "1 个已打开" in sent
    # The receiving side (and everyone else outside the sender) cannot see or urge it.
    for someone in (cast.outsider, cast.section_chief):
        client = signed_in(someone)
        assert client.get(reverse("exchange:tracking", args=[dispatch.pk])).status_code == 404
        assert client.get(reverse("exchange:dispatch-pdf", args=[dispatch.pk])).status_code == 404
        assert client.post(reverse("exchange:urge", args=[dispatch.pk, delivery.pk])).status_code == 404
    delivery.refresh_from_db()
    assert delivery.urge_count == 1


def test_groups_and_settings_pages(cast, signed_in):
    client = signed_in(cast.clerk)
    assert client.get(reverse("exchange:groups")).status_code == 200
    response = client.post(reverse("exchange:group-add"), {"name": "常用单位", "units": [cast.other_unit.pk]})
    assert response.status_code == 302
    group = RecipientGroup.objects.get()
    assert group.owner_unit == cast.unit
    assert signed_in(cast.outsider).get(reverse("exchange:group-edit", args=[group.pk])).status_code == 404
    assert signed_in(cast.outsider).post(reverse("exchange:group-delete", args=[group.pk])).status_code == 404
    assert client.get(reverse("exchange:group-add") + "?platform=1").status_code == 404
    assert client.get(reverse("exchange:settings")).status_code == 404
    operator = signed_in(cast.operator)
    assert operator.get(reverse("exchange:settings")).status_code == 200
    response = operator.post(reverse("exchange:settings"), {
        "allow_urgent": "", "sms_for_urgent": "on", "notice_alert_minutes": 5, "notice_sms_minutes": 8,
        "notice_overdue_minutes": 10, "default_copies": 3})
    assert response.status_code == 302
    from zhengtong.exchange.models import ExchangeSettings

    assert ExchangeSettings.load().allow_urgent is False and ExchangeSettings.load().default_copies == 3


def test_the_read_api_marks_receipt(cast, client, signed_in):
    delivery = _sent(cast).deliveries.get()
    assert client.get(reverse("exchange:api-deliveries")).status_code in (302, 401)
    client = signed_in(cast.outsider)
    listing = client.get(reverse("exchange:api-deliveries")).json()
    assert [row["id"] for row in listing["deliveries"]] == [delivery.pk]
    assert listing["deliveries"][0]["sender"]["name"] == cast.unit.name
    response = client.get(reverse("exchange:api-delivery-pdf", args=[delivery.pk]))
    assert response.status_code == 200 and response.getvalue() == pdf_bytes()
    delivery.refresh_from_db()
    assert delivery.received_at is not None
    # Another unit's clerk reads their own (empty) list; someone who is no clerk gets 404.
    assert signed_in(cast.clerk).get(reverse("exchange:api-deliveries")).json()["deliveries"] == []
    assert signed_in(cast.section_chief).get(reverse("exchange:api-deliveries")).status_code == 404


def test_home_panel_and_navigation(cast, signed_in):
    _sent(cast)
    home = signed_in(cast.outsider).get(reverse("office:home")).content.decode()
    assert 'data-testid="exchange-pending-count">1<' in home
    assert reverse("exchange:index") in home
    assert signed_in(cast.outsider).get(reverse("exchange:index"))["Location"] == reverse("exchange:inbox")
    from tests.documents.factories import staff  # noqa: PLC0415

    plain = staff(cast)
    assert reverse("exchange:index") not in signed_in(plain).get(reverse("office:home")).content.decode()
    assert signed_in(plain).get(reverse("exchange:index")).status_code == 404
