from django.urls import reverse


def test_root_leads_to_the_office_portal(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("office:home")


def test_home_requires_sign_in(client, db):
    response = client.get(reverse("office:home"))
    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


def test_home_shows_chinese_by_default(signed_in, cast):
    client = signed_in(cast.clerk)
    response = client.get(reverse("office:home"))
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()
    assert cast.unit.name in response.content.decode()


def test_switching_to_a_unit_one_does_not_serve_in_is_refused(signed_in, cast):
    client = signed_in(cast.clerk)
    response = client.post(reverse("office:switch-unit"), {"unit": cast.other_unit.pk})
    assert response.status_code == 400
    assert client.session.get("zhengtong_unit_id") is None
