"""A claimant's public page: their fact-checks online, with a chart of the verdicts, and for
the desk their claims not published yet."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from annotations import permissions, public_record, selectors
from annotations.models import MAX_ID, Claimant
from annotations.query_params import refuse_repeats
from annotations.services.claimants import live_claimant

PER_PAGE = 20


@require_GET
def claimant_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Open to anyone. A merged claimant's page leads to the one it was merged into, so that
    links to it keep working."""
    refuse_repeats(request.GET)
    claimant = Claimant.objects.filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if claimant is None:
        raise Http404("No such claimant.")
    if claimant.is_merged:
        return redirect("claimant-page", pk=live_claimant(claimant).pk, permanent=True)
    records = public_record.online_of_claimant(claimant.pk)
    counts = public_record.verdict_counts(records)
    page = Paginator(records, PER_PAGE).get_page(request.GET.get("page"))
    desk = permissions.is_editor(request.user)
    return render(
        request,
        "annotations/claimant.html",
        {
            "claimant": claimant,
            "page": page,
            "counts": counts,
            "total": sum(count.count for count in counts),
            "desk": desk,
            "unpublished": (
                list(selectors.claimant_desk_claims(request.user, claimant.pk)) if desk else []
            ),
        },
    )
