"""/cms/ rights follow directory roles (seed 003 第十五条 部门负责制); one sign-in with the platform."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.urls import reverse

from zhengtong.audit.models import AuditRecord
from zhengtong.directory import roles
from zhengtong.directory import services as directory
from zhengtong.portal import services
from zhengtong.portal.models import ArticlePage


def _add_url(column):
    return reverse("wagtailadmin_pages:add", args=("portal", "articlepage", column.pk))


def _article_post(title="农业局报送的文章", **extra):
    return {**_base_post(title), **extra}


def _base_post(title):
    return {"title": title, "slug": f"s{abs(hash(title)) % 10**8}", "summary": "", "body": '{"blocks":[{"key":"a","text":"正文内容。",'
            '"type":"unstyled","depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
            "cover_caption": "", "author_name": "", "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0", "attachments-MIN_NUM_FORMS": "0",
            "attachments-MAX_NUM_FORMS": "1000", "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "1000"}


def test_officer_adds_an_article_to_their_units_column(web, signed_in, cast):
    client = signed_in(web.officer)
    assert client.get(_add_url(web.agriculture)).status_code == 200
    response = client.post(_add_url(web.agriculture), _article_post())
    assert response.status_code == 302, response.content.decode()[:3000]
    article = ArticlePage.objects.get(title="农业局报送的文章")
    assert article.submitted_by == web.officer
    assert article.live is False  # a draft: publishing goes through the review chain
    assert article.get_parent().pk == web.agriculture.pk


def test_outsider_officer_cannot_add_to_another_units_column(web, signed_in):
    client = signed_in(web.other_officer)  # 财政局 信息员
    response = client.get(_add_url(web.agriculture))
    assert response.status_code in (302, 403)
    assert response.status_code != 200
    response = client.post(_add_url(web.agriculture), _article_post("越权文章"))
    assert not ArticlePage.objects.filter(title="越权文章").exists()
    refusals = AuditRecord.objects.filter(action="portal.cms.refuse", actor_id=web.other_officer.pk)
    assert refusals.filter(changes__method="POST").exists()  # the attempt is audited
    # …while their own 财税 column is open to them.
    assert client.get(_add_url(web.finance_tax)).status_code == 200


def test_officer_may_not_publish(web, make_article):
    article = make_article(web.agriculture)
    tester = article.permissions_for_user(web.officer)
    assert tester.can_edit()
    assert not tester.can_publish()
    assert not web.home.permissions_for_user(web.officer).can_add_subpage()


def test_person_without_a_website_role_cannot_reach_cms(cast, web, signed_in):
    client = signed_in(cast.clerk)
    response = client.get("/cms/")
    assert response.status_code == 403
    assert "网站" in response.content.decode()
    assert client.get(_add_url(web.agriculture)).status_code == 403


def test_anonymous_visitor_is_sent_to_the_platform_sign_in(client, db):
    response = client.get("/cms/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in") + "?next=/cms/pages/")
    response = client.get("/cms/login/?next=/cms/")
    assert response["Location"] == reverse("accounts:sign-in") + "?next=/cms/"


def test_reviewer_and_operator_get_in(web, cast, signed_in):
    assert signed_in(web.reviewer).get("/cms/").status_code == 200
    client = signed_in(cast.operator)
    assert client.get("/cms/").status_code == 200
    assert web.home.permissions_for_user(cast.operator).can_add_subpage()
    assert web.agriculture.permissions_for_user(cast.operator).can_publish()


def test_role_changes_apply_when_the_person_opens_cms(web, cast, signed_in):
    client = signed_in(cast.clerk)
    assert client.get("/cms/").status_code == 403
    directory.set_roles(actor=cast.admin, user=cast.clerk, unit=cast.unit, role_codes=[roles.CLERK, roles.INFO_OFFICER])
    assert client.get("/cms/").status_code == 200  # no periodic sync needed
    assert client.get(_add_url(web.agriculture)).status_code == 200
    directory.set_roles(actor=cast.admin, user=cast.clerk, unit=cast.unit, role_codes=[roles.CLERK])
    assert client.get("/cms/").status_code == 403
    assert not cast.clerk.groups.filter(name__startswith=services.GROUP_PREFIX).exists()


def test_sync_removes_rights_of_people_who_lost_the_role(web, cast):
    group = Group.objects.get(name=services.OFFICER_GROUP % cast.unit.code)
    assert web.officer.groups.filter(pk=group.pk).exists()
    directory.set_roles(actor=cast.admin, user=web.officer, unit=cast.unit, role_codes=[])
    summary = services.sync_cms_permissions()
    assert summary["removed"] >= 1
    assert not web.officer.groups.filter(pk=group.pk).exists()


def test_sync_leaves_groups_it_does_not_manage_alone(web):
    reviewers = Group.objects.create(name="法制室审核组")
    web.officer.groups.add(reviewers)
    services.sync_cms_permissions()
    services.sync_cms_permissions(user=web.officer)
    assert web.officer.groups.filter(pk=reviewers.pk).exists()


def test_signing_out_of_cms_signs_out_of_the_platform(web, signed_in):
    client = signed_in(web.officer)
    response = client.post("/cms/logout/")
    assert response.status_code == 302
    assert client.get(reverse("office:home")).status_code == 302  # signed out everywhere on this client
    assert client.get("/cms/").status_code == 302


def test_office_navigation_shows_website_management_only_to_people_who_may_use_it(web, cast, signed_in):
    assert "/cms/" in signed_in(web.officer).get(reverse("office:home")).content.decode()
    assert 'href="/cms/"' not in signed_in(cast.clerk).get(reverse("office:home")).content.decode()
