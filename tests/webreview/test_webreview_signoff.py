"""The 审核签 PDF (seed 000 (一)2(2)): every signature, for the submitter, the reviewers and the operator only."""

from __future__ import annotations

import io

import pytest

from .district import new_article

pytestmark = pytest.mark.django_db


def _act(article, user, action="approve", comment=""):
    article.refresh_from_db()
    state = article.current_workflow_task_state
    state.task.specific.on_action(state, user, action, comment=comment)


@pytest.fixture
def reviewed(district):
    """An article that went through the whole chain, returned once by 保密局 and resubmitted."""
    from zhengtong.webreview import services

    article = new_article(district.agriculture, title="春耕备耕工作有序推进", unit=district.cast.unit,
                          user=district.officer)
    services.submit_for_review(actor=district.officer, page=article)
    _act(article, district.leader, comment="同意报送")
    _act(article, district.legal, comment="无法律问题")
    _act(article, district.secrecy, "reject", comment="请删去具体仓储地点")
    article.get_latest_revision_as_object().save_revision(user=district.officer)
    services.submit_for_review(actor=district.officer, page=article)
    _act(article, district.secrecy, comment="不涉密")
    _act(article, district.web, comment="格式规范")
    _act(article, district.gov_leader, comment="同意发布")
    article.refresh_from_db()
    assert article.live
    return article


def _text(response) -> str:
    import pdfplumber

    assert response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        # cell by cell (a wrapped opinion stays whole), then the rest of the text
        cells = [(cell or "").replace("\n", "") for page in pdf.pages for table in page.extract_tables()
                 for row in table for cell in row]
        return "|".join(cells) + "\n" + "".join(page.extract_text() or "" for page in pdf.pages)


def test_the_sign_off_form_lists_every_approval_and_the_return(district, reviewed, signed_in):
    text = _text(signed_in(district.officer).get(f"/office/webreview/pages/{reviewed.pk}/sign-off.pdf"))
    assert "春耕备耕工作有序推进" in text and "农业" in text and district.officer.name in text
    assert district.cast.unit.name in text
    for person, opinion in [(district.leader, "同意报送"), (district.legal, "无法律问题"),
                            (district.secrecy, "请删去具体仓储地点"), (district.secrecy, "不涉密"),
                            (district.web, "格式规范"), (district.gov_leader, "同意发布")]:
        assert person.name in text and opinion in text
    for step in ("单位领导", "法制室", "保密局", "网维办", "政府办领导"):
        assert step in text
    assert "鹤山区司法局" in text and "退回" in text


@pytest.mark.parametrize("who", ["legal", "gov_leader"])
def test_reviewers_may_download_it(district, reviewed, signed_in, who):
    response = signed_in(getattr(district, who)).get(f"/office/webreview/pages/{reviewed.pk}/sign-off.pdf")
    assert response.status_code == 200


def test_the_operator_may_download_it(district, reviewed, signed_in):
    assert signed_in(district.cast.operator).get(
        f"/office/webreview/pages/{reviewed.pk}/sign-off.pdf").status_code == 200


@pytest.mark.parametrize("who", ["outsider", "clerk", "publicity"])
def test_anybody_else_gets_404(district, reviewed, signed_in, who):
    person = getattr(district.cast, who, None) or getattr(district, who)
    assert signed_in(person).get(f"/office/webreview/pages/{reviewed.pk}/sign-off.pdf").status_code == 404


def test_a_page_never_submitted_has_no_sign_off_form(district, signed_in):
    article = new_article(district.agriculture, unit=district.cast.unit, user=district.officer)
    assert signed_in(district.cast.operator).get(
        f"/office/webreview/pages/{article.pk}/sign-off.pdf").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(district, reviewed, client):
    response = client.get(f"/office/webreview/pages/{reviewed.pk}/sign-off.pdf")
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_the_chains_page_is_for_the_operator(district, signed_in):
    response = signed_in(district.cast.operator).get("/office/webreview/chains/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "新闻快报审核链" in body and "宣传部审核" in body
    assert signed_in(district.officer).get("/office/webreview/chains/").status_code == 404
