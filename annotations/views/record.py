"""The public record, open to anyone: the fact-checks online (/claims/), every correction and
retraction (/corrections/), and the ClaimReview data feed. All read annotations.public_record.
The Atom feeds are annotations.feeds; the sitemap annotations.sitemaps."""

from __future__ import annotations

from django import forms
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from annotations import export, public_record
from annotations.export import datafeed_chunks, in_blocks, links
from annotations.export.streaming import in_snapshot
from annotations.models import Verdict
from annotations.query_params import refuse_repeats
from annotations.sitemaps import SITEMAPS

PER_PAGE = 20


class ClaimsFilter(forms.Form):
    verdict = forms.ModelChoiceField(
        queryset=Verdict.objects.all(), to_field_name="slug", required=False, empty_label="Any"
    )
    claimant = forms.CharField(required=False, max_length=300, strip=True)


@require_GET
def claims_list(request: HttpRequest) -> HttpResponse:
    """The fact-checks online, newest first; `verdict` (a slug) and `claimant` (exact, any
    case) narrow them. A filter that is not understood is shown as such and ignored."""
    refuse_repeats(request.GET)
    records = public_record.online()
    wanted = ClaimsFilter(request.GET)
    if wanted.is_valid():
        if wanted.cleaned_data["verdict"] is not None:
            records = records.filter(verdict=wanted.cleaned_data["verdict"])
        if wanted.cleaned_data["claimant"]:
            records = records.filter(claimant__iexact=wanted.cleaned_data["claimant"])
    query = {k: v for k, v in request.GET.items() if k in ("verdict", "claimant") and v}
    page = Paginator(records, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "annotations/public_claims.html",
        {"page": page, "filter": wanted, "query": query},
    )


@require_GET
def corrections_list(request: HttpRequest) -> HttpResponse:
    """Every correction and retraction, newest first."""
    refuse_repeats(request.GET)
    page = Paginator(public_record.corrections(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "annotations/public_corrections.html", {"page": page})


@require_GET
def datafeed(request: HttpRequest) -> StreamingHttpResponse:
    """The ClaimReview DataFeed of every fact-check online: no sign-in and no token, streamed
    from one snapshot of the database as the exports are."""
    chunks = in_snapshot(datafeed_chunks())
    response = StreamingHttpResponse(
        in_blocks(links.streamed_for(request, chunks)),
        content_type=export.CONTENT_TYPES["claimreview"],
    )
    # Aggregators poll it; an hour old is fresh enough and spares the database.
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    # Rendered here, inside linking_for: the template response would otherwise be rendered
    # after the view returns, with the links' base gone.
    with links.linking_for(request):
        response = sitemap_views.sitemap(request, sitemaps=SITEMAPS)
        response.render()
    return response
