"""Office pages of website review: the 审核签 PDF and the chains per column."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from zhengtong.audit import services as audit
from zhengtong.directory.selectors import is_platform_operator
from zhengtong.webreview import pdf, selectors


@login_required
def sign_off_pdf(request, page_id: int):
    """The 审核签 of a page: for its submitter, its reviewers and the operator; 404 for anyone else."""
    page = selectors.sign_off_page_for(request.user, page_id)
    content = pdf.render_sign_off(page)
    audit.record(actor=request.user, action="webreview.sign_off.download", obj=page,
                 unit=selectors.responsible_unit(page), summary=page.title)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sign-off-{page.pk}.pdf"'
    return response


@login_required
def chains(request):
    """Which review chain each column has (operators; the chains are changed in /cms/workflows/)."""
    if not is_platform_operator(request.user):
        raise Http404
    return render(request, "webreview/chains.html", {"rows": selectors.chains_by_column()})


def panel_context(request) -> dict:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("webreview:chains")
        enabled = True
    except NoReverseMatch:
        enabled = False
    return {"waiting": selectors.reviews_waiting_for(request.user), "returned": selectors.returned_to(request.user),
            "sign_off_enabled": enabled, "is_operator": is_platform_operator(request.user)}


def panel_visible(request) -> bool:
    """Shown to those who review or submit website material, and to the operator."""
    from zhengtong.directory import roles
    from zhengtong.directory.models import RoleAssignment

    user = request.user
    if not user.is_authenticated:
        return False
    return is_platform_operator(user) or RoleAssignment.objects.filter(
        user=user, role__code__in=[roles.CONTENT_REVIEWER, roles.INFO_OFFICER, roles.PRINCIPAL_LEADER,
                                   roles.DEPUTY_LEADER, roles.SECTION_CHIEF]).exists()
