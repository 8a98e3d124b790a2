from django.urls import reverse


def test_root_serves_the_public_website_and_the_office_portal_stays_at_office(client, db):
    from zhengtong.portal.middleware import forget_local_pages

    forget_local_pages()  # a page another test served from this process's memory must not answer
    response = client.get("/")
    assert response.status_code == 200
    assert "portal/home_page.html" in [template.name for template in response.templates]
    response = client.get("/office/")
    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


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


# --- navigation, panels, unit switcher, language -------------------------------------------------

from datetime import timedelta  # noqa: E402

from django.utils import timezone  # noqa: E402

from zhengtong.accounts.models import SignInAttempt  # noqa: E402
from zhengtong.directory import services as directory  # noqa: E402
from zhengtong.directory.models import User  # noqa: E402


def test_navigation_offers_the_address_book(signed_in, cast):
    page = signed_in(cast.clerk).get(reverse("office:home")).content.decode()
    assert f'href="{reverse("office:address-book")}"' in page
    assert "bi-person-lines-fill" in page and "通讯录" in page


def test_navigation_marks_the_page_one_is_on(signed_in, cast):
    page = signed_in(cast.clerk).get(reverse("office:address-book")).content.decode()
    assert f'class="nav-link active" aria-current="page" href="{reverse("office:address-book")}"' in page
    assert f'class="nav-link active" aria-current="page" href="{reverse("office:home")}"' not in page


def test_less_frequent_entries_gather_in_drop_down_menus_and_a_menu_of_one_is_flat(signed_in, cast):
    page = signed_in(cast.operator).get(reverse("office:home")).content.decode()
    admin = page[page.index('data-nav-group="admin"'):]
    admin = admin[:admin.index("</ul>")]
    assert "系统管理" in admin
    assert f'href="{reverse("directory:index")}"' in admin and f'href="{reverse("audit:index")}"' in admin

    page = signed_in(cast.clerk).get(reverse("office:home")).content.decode()
    assert 'data-nav-group="admin"' not in page  # the clerk sees only the calendar of that menu
    assert f'class="nav-link" href="{reverse("workdays:index")}"' in page


def test_home_shows_my_posts_and_roles(signed_in, cast):
    page = signed_in(cast.section_chief).get(reverse("office:home")).content.decode()
    assert "我的岗位与角色" in page
    assert "鹤山区农业农村局" in page and "办公室" in page and "科长" in page
    assert "科室负责人" in page  # the role's name


def test_home_shows_the_last_sign_in_and_failed_attempts_since(client, cast):
    earlier = SignInAttempt.objects.create(username=cast.clerk.username, user=cast.clerk, outcome="success",
                                           ip_address="10.1.2.3")
    SignInAttempt.objects.filter(pk=earlier.pk).update(occurred_at=timezone.now() - timedelta(days=2))
    client.post(reverse("accounts:sign-in"), {"username": cast.clerk.username, "password": "wrong-one"})
    client.post(reverse("accounts:sign-in"), {"username": cast.clerk.username, "password": cast.password})
    page = client.get(reverse("office:home")).content.decode()
    assert "账号安全" in page
    assert "10.1.2.3" in page  # the sign-in before this one, not this one
    assert "自上次登录以来，您的账号有 1 次登录失败" in page


def test_home_warns_when_the_password_expires_within_two_weeks(signed_in, cast, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=cast.clerk.pk).update(password_changed_at=timezone.now() - timedelta(days=80))
    page = signed_in(cast.clerk).get(reverse("office:home")).content.decode()
    assert "您的密码将在 9 天后过期，请及时修改。" in page


def test_home_does_not_warn_about_a_fresh_password(signed_in, cast, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=cast.clerk.pk).update(password_changed_at=timezone.now() - timedelta(days=10))
    page = signed_in(cast.clerk).get(reverse("office:home")).content.decode()
    assert 'data-testid="expiry-warning"' not in page
    assert 'data-testid="password-expiry"' in page


def serve_in_both_units(cast):
    directory.add_membership(actor=cast.outsider, user=cast.clerk, unit=cast.other_unit, title="兼职联络员")


def test_a_person_in_one_unit_sees_no_switcher(signed_in, cast):
    page = signed_in(cast.clerk).get(reverse("office:home")).content.decode()
    assert 'data-testid="unit-switcher"' not in page


def test_a_person_in_two_units_sees_the_switcher_and_works_in_the_chosen_unit(signed_in, cast):
    serve_in_both_units(cast)
    client = signed_in(cast.clerk)
    response = client.get(reverse("office:home"))
    page = response.content.decode()
    assert 'data-testid="unit-switcher"' in page
    assert cast.unit.name in page and cast.other_unit.name in page
    assert response.wsgi_request.unit.pk == cast.unit.pk  # the primary unit first

    response = client.post(reverse("office:switch-unit"), {"unit": cast.other_unit.pk,
                                                           "next": reverse("office:settings")})
    assert response["Location"] == reverse("office:settings")
    response = client.get(reverse("office:home"))
    assert response.wsgi_request.unit.pk == cast.other_unit.pk
    assert "您已切换到 鹤山区财政局 办公。" in response.content.decode()

    client.post(reverse("office:switch-unit"), {"unit": cast.unit.pk})
    assert client.get(reverse("office:home")).wsgi_request.unit.pk == cast.unit.pk


def test_switching_never_redirects_to_another_site(signed_in, cast):
    serve_in_both_units(cast)
    response = signed_in(cast.clerk).post(reverse("office:switch-unit"),
                                          {"unit": cast.other_unit.pk, "next": "https://evil.example.com/"})
    assert response["Location"] == reverse("office:home")


def test_switching_to_a_unit_one_has_left_is_refused(signed_in, cast):
    serve_in_both_units(cast)
    client = signed_in(cast.clerk)
    client.post(reverse("office:switch-unit"), {"unit": cast.other_unit.pk})
    cast.clerk.memberships.filter(unit=cast.other_unit).update(is_active=False)
    # the stale choice in the session no longer counts: back to the unit the person serves in
    assert client.get(reverse("office:home")).wsgi_request.unit.pk == cast.unit.pk
    response = client.post(reverse("office:switch-unit"), {"unit": cast.other_unit.pk})
    assert response.status_code == 400


def test_switching_with_garbage_is_refused(signed_in, cast):
    assert signed_in(cast.clerk).post(reverse("office:switch-unit"), {"unit": "abc"}).status_code == 400


def test_the_language_selector_switches_to_english_and_back(signed_in, cast):
    client = signed_in(cast.clerk)
    response = client.post("/i18n/setlang/", {"language": "en", "next": reverse("office:home")})
    assert response["Location"] == reverse("office:home")
    page = client.get(reverse("office:home")).content.decode()
    assert 'lang="en"' in page
    assert "Address book" in page and "My posts and roles" in page and "Personal settings" in page
    assert "通讯录" not in page

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": reverse("office:home")})
    page = client.get(reverse("office:home")).content.decode()
    assert 'lang="zh-hans"' in page and "通讯录" in page and "Address book" not in page


def test_english_sign_in_page_shows_english_messages(client, cast):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post(reverse("accounts:sign-in"), {"username": cast.clerk.username, "password": "nope"})
    assert "The username or password is wrong." in response.content.decode()


def test_the_footer_names_each_language_in_itself(client, db):
    page = client.get(reverse("accounts:sign-in")).content.decode()
    assert ">简体中文</option>" in page and ">English</option>" in page


def test_pages_are_chinese_even_when_the_browser_asks_for_english(signed_in, cast):
    client = signed_in(cast.clerk)
    response = client.get(reverse("office:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-hans"' in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_english_is_shown_once_chosen_in_the_footer(signed_in, cast):
    client = signed_in(cast.clerk)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("office:home")})
    response = client.get(reverse("office:home"), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert 'lang="en"' in response.content.decode()
