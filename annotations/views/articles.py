"""The article list, the annotation page and the "Import from URL" page. Reads go through
selectors; the annotation page's writes go through the REST API, and the import page's through
the same service as the API's and the command's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from annotations import permissions, selectors
from annotations.matching import known_claims_for
from annotations.models import Article, Claim, SourceKind, Verdict
from annotations.outputs import CLAIM_KEYS, claim_outputs_with_author_ids, latest_decisions
from annotations.page_data import json_script_element, render_with_data
from annotations.page_texts import page_texts
from annotations.query_params import refuse_repeats
from annotations.request_user import acting_user
from annotations.services.articles import article_import_from_url
from annotations.views.revisions import revision_context
from annotations.workflow import Action, Status

ARTICLES_PER_PAGE = 50
# The claim shape the annotation page carries: the API's, without the times of writing that
# the page never shows (each timestamp read is a slow conversion, and a page has hundreds).
PAGE_CLAIM_KEYS = tuple(key for key in CLAIM_KEYS if key not in ("created_at", "updated_at"))
# Longer searches cannot name a title any better and only cost the database work.
MAX_SEARCH_LENGTH = 200


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    """Every article the user may see, newest first, with claim counts by status; `q` searches
    titles."""
    refuse_repeats(request.GET)
    query = request.GET.get("q", "").strip()[:MAX_SEARCH_LENGTH]
    articles = selectors.articles_with_claim_counts(request.user).order_by(
        "-published_on", "-imported_at", "-id"
    )
    if query:
        articles = articles.filter(title__icontains=query)
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(article, _status_counts(article)) for article in page.object_list]
    return render(
        request,
        "annotations/article_list.html",
        {
            "page": page,
            "rows": rows,
            "query": query,
            "can_import": permissions.can_import_articles(request.user),
        },
    )


class ArticleUrlForm(forms.Form):
    # Not required and of any length here: the service refuses an empty or over-long address
    # after the permission check, so that everyone but an admin meets a 403 first.
    url = forms.CharField(
        label=gettext_lazy("Address of the article"),
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def article_import(request: HttpRequest) -> HttpResponse:
    """Import from a URL (admins): the server fetches the page and imports its article, then
    shows it; a refusal shows the form again with the reason, as a 400."""
    form = ArticleUrlForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        if not permissions.can_import_articles(request.user):
            raise PermissionDenied(_("Only admins can import articles."))
        return render(request, "annotations/article_import.html", {"form": form})
    form.is_valid()
    try:
        outcome = article_import_from_url(
            url=form.cleaned_data.get("url", ""), imported_by=acting_user(request)
        )
    except ValidationError as refusal:
        form.add_error(None, refusal)
        return render(request, "annotations/article_import.html", {"form": form}, status=400)
    article = outcome.article
    if outcome.created:
        messages.success(
            request,
            _("Imported article #%(number)d from %(url)s.")
            % {"number": article.pk, "url": article.source_url},
        )
    else:
        messages.info(
            request,
            _("This page is already article #%(number)d; nothing was stored.")
            % {"number": article.pk},
        )
    return HttpResponseRedirect(reverse("article-detail", args=[article.pk]))


@login_required
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The annotation page: the whole body, every claim the user may see, and the data the
    page's script needs, all in this one response (the script makes no request on load)."""
    article = selectors.article_page_of(request.user, pk)
    # An orphaned claim's offsets count in an earlier text: it is listed apart, never
    # highlighted here.
    claims = selectors.claims_of_article(request.user, article).filter(
        revision_id=article.current_revision_id
    )
    verdicts = list(Verdict.objects.all())
    can_create = permissions.can_create_claim(request.user)
    # Encoded at once rather than kept for the template: with 2,000 claims the rows are
    # several megabytes of Python objects, freed here before the page is rendered.
    page_data = json_script_element(
        {
            # The text itself is the page's #article-text, whose text nodes are exactly
            # article.body: the scripts read it there rather than from a second copy.
            "article": {"id": article.pk},
            "claims": claims_data(request.user, claims, {v.slug: v.label for v in verdicts}),
            "verdicts": [
                {"slug": v.slug, "label": v.label, "colour": v.colour, "rating": v.rating}
                for v in verdicts
            ],
            "statuses": dict(Status.choices),
            "source_kinds": dict(SourceKind.choices),
            "can_create": can_create,
            # The scripts' sentences in the reader's language (those it translates).
            "texts": page_texts(),
            # The zone the desk's pages show times in, for the times the script writes.
            "time_zone": timezone.get_current_timezone_name(),
            # Where the script asks again for one claim's row after a write changed it.
            "claim_row_url": reverse("article-claim-row", args=[article.pk, 0]),
        },
        "page-data",
    )
    return render_with_data(
        request,
        "annotations/article_detail.html",
        {
            "article": article,
            "verdicts": verdicts,
            "source_kinds": SourceKind.choices,
            "can_create": can_create,
            **revision_context(request.user, article),
            "known_claims": known_claims_for(request.user, article),
        },
        page_data,
    )


@login_required
def article_claim_row(request: HttpRequest, pk: int, claim_pk: int) -> JsonResponse:
    """One claim of the annotation page as the page's data holds it (claims_data): what the
    page's script shows after a write, so that what the user may do next is the server's
    answer, never worked out again in the browser. A claim the user may not see is a 404."""
    article = selectors.article_visible_to(request.user, pk)
    claims = selectors.claims_of_article(request.user, article).filter(pk=claim_pk)
    rows = claims_data(request.user, claims, dict(Verdict.objects.values_list("slug", "label")))
    if not rows:
        raise Http404("No such claim.")
    return JsonResponse(rows[0])


def claims_data(
    user: Any, claims: QuerySet[Claim], verdict_labels: dict[str, str]
) -> list[dict[str, Any]]:
    """The claims in the page's claim shape (PAGE_CLAIM_KEYS), each with what `user` may do
    with it (can_edit, can_delete, can_submit, can_withdraw, can_review, can_correct), its
    status's and verdict's labels and the last decision taken on it (last_decision, or
    None)."""
    # The predicates read only the claim's author, status and whether it was ever submitted,
    # so they are asked once per such triple met rather than once per claim.
    allowed: dict[tuple[int, str, bool], dict[str, bool]] = {}
    status_labels = {status: str(label) for status, label in Status.choices}
    decisions = latest_decisions(claims)
    rows = []
    for data, author_id in claim_outputs_with_author_ids(claims, PAGE_CLAIM_KEYS):
        key = (author_id, data["status"], data["submitted_at"] is not None)
        if key not in allowed:
            claim = Claim(
                author_id=author_id, status=data["status"], submitted_at=data["submitted_at"]
            )
            actions = permissions.available_actions(user, claim)
            allowed[key] = {
                "can_edit": permissions.can_edit_claim(user, claim),
                "can_delete": permissions.can_delete_claim(user, claim),
                "can_submit": Action.SUBMIT in actions,
                "can_withdraw": Action.WITHDRAW in actions,
                "can_review": Action.APPROVE in actions,
                # An admin's reopening or retraction, taken on the review screen.
                "can_correct": Action.REOPEN in actions or Action.RETRACT in actions,
            }
        data.update(allowed[key])
        data["verdict_label"] = verdict_labels.get(data["verdict"], "") if data["verdict"] else ""
        data["status_label"] = status_labels.get(data["status"], data["status"])
        data["last_decision"] = decisions.get(data["id"])
        rows.append(data)
    return rows


def _status_counts(article: Article) -> list[tuple[str, str, int]]:
    """(status, label, count) for the statuses the article has visible claims in."""
    counts = []
    for status, label in Status.choices:
        count = getattr(article, f"{status}_count", 0)
        if count:
            counts.append((status, str(label), count))
    return counts
