"""Known claims on the annotation page: recording a sentence as the repeat of a fact-check
published before (services.matching.claim_record_repeat)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from annotations import selectors
from annotations.errors import refusal_message
from annotations.models import KnownClaim
from annotations.request_user import acting_user
from annotations.services.matching import claim_record_repeat


@login_required
@require_POST
def known_claim_repeat(request: HttpRequest, pk: int, known: int) -> HttpResponse:
    """Record the sentence of a known claim as a new draft claim repeating the earlier
    fact-check (its verdict proposed), then show it on the article page, ready to submit."""
    article = selectors.article_visible_to(request.user, pk)
    if not KnownClaim.objects.filter(pk=known, article=article).exists():
        raise Http404("No such known claim on this article.")
    page = reverse("article-detail", args=[article.pk])
    try:
        claim = claim_record_repeat(known_claim_id=known, author=acting_user(request))
    except ValidationError as refusal:
        messages.error(request, refusal_message(refusal))
        return HttpResponseRedirect(page)
    messages.success(
        request,
        _(
            "Recorded claim #%(number)d as a repeat of fact-check #%(earlier)d, with its "
            "verdict proposed: check it, then submit it for review."
        )
        % {"number": claim.pk, "earlier": claim.repeat_of_id},
    )
    return HttpResponseRedirect(f"{page}#claim-{claim.pk}")
