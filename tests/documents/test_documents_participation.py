"""Who edits and who sees a document once it is in its process: the holder of the open item, the participants."""

from __future__ import annotations

import pytest
from django.http import Http404

from zhengtong.documents import selectors, services
from zhengtong.documents.exceptions import DocumentPermissionDenied
from zhengtong.documents.services import processing

from .flow_fixtures import BODY, build_flow

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cast):
    return build_flow(cast)


def _submitted(people):
    document = services.create_draft(actor=people.drafter, unit=people.unit, kind="notice", title="关于做好农田水利建设的通知",
                                     body=BODY, department=people.industry, main_recipients="各镇人民政府")
    processing.submit_draft(actor=people.drafter, document=document)
    document.refresh_from_db()
    return document


def test_the_reviewer_holding_the_item_edits_and_the_version_carries_the_step(people):
    document = _submitted(people)
    with pytest.raises(DocumentPermissionDenied):
        services.update_draft(actor=people.drafter, document=document, title="拟稿人在审核中改标题")
    with pytest.raises(DocumentPermissionDenied):
        services.update_draft(actor=people.reform_chief, document=document, title="别的科长改标题")
    services.update_draft(actor=people.industry_chief, document=document, title="关于切实做好农田水利建设的通知")
    document.refresh_from_db()
    version = document.current_version
    assert (version.seq, version.saved_by, document.title) == (2, people.industry_chief, "关于切实做好农田水利建设的通知")
    assert version.step_label and version.step_label != "拟稿"


def test_participants_see_the_document_and_others_of_the_unit_do_not(people):
    document = _submitted(people)
    for person in (people.drafter, people.industry_chief, people.clerk, people.checker, people.leader):
        assert selectors.document_for(person, document.pk) == document
    for person in (people.reform_chief, people.handler, people.cast.outsider, people.other_checker):
        with pytest.raises(Http404):
            selectors.document_for(person, document.pk)
