"""The review queue and the review screen: thin pages over services and selectors.

Every change is a POST answered by a redirect (POST-redirect-GET); a refused change re-renders
the review screen with the reason and a status that says what went wrong (400 bad input,
403 not allowed, 409 the claim moved on), having changed nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from annotations import permissions, selectors, services
from annotations.anchoring import paragraph_around
from annotations.errors import Conflict, StaleVersion, refusal_message
from annotations.matching import checked_before
from annotations.models import MAX_ID, MAX_VERSION, Article, Claim, Verdict
from annotations.query_params import refuse_repeats
from annotations.request_user import acting_user
from annotations.services import publication
from annotations.templatetags.desk import ACTION_NAMES
from annotations.workflow import (
    COMMENT_REQUIRED,
    MAX_COMMENT_LENGTH,
    REVIEW_ACTIONS,
    TRANSITION_ACTIONS,
    Action,
    Status,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

QUEUE_PAGE_SIZE = 50
FILTER_NAMES = ("article", "verdict", "author")

# The review screen's one decision form: each action the viewer may take is one choice, with
# the key that picks it (annotations/static/annotations/review.js) and what it does.
CHOICES: dict[str, tuple[str, StrOrPromise, StrOrPromise]] = {
    Action.APPROVE: ("a", ACTION_NAMES[Action.APPROVE], _("Publishes the claim as it stands.")),
    Action.REQUEST_CHANGES: (
        "c",
        ACTION_NAMES[Action.REQUEST_CHANGES],
        _("Sends it back to its author with your comment."),
    ),
    Action.REJECT: ("r", ACTION_NAMES[Action.REJECT], _("Final: the claim is not published.")),
    Action.SUBMIT: ("s", ACTION_NAMES[Action.SUBMIT], _("Sends it to the review queue.")),
    Action.WITHDRAW: (
        "w",
        ACTION_NAMES[Action.WITHDRAW],
        _("Takes it back from the queue to draft."),
    ),
    Action.REOPEN: (
        "o",
        ACTION_NAMES[Action.REOPEN],
        _("Reopens the published claim for a correction; the published version stays online."),
    ),
    Action.RETRACT: (
        "t",
        ACTION_NAMES[Action.RETRACT],
        _("Final: withdraws the claim with your reason; a published one shows a notice."),
    ),
}
# The decisions first, in the order a reviewer weighs them.
CHOICE_ORDER = list(CHOICES)

STALE = _(
    "Someone changed this claim while you were deciding: here it is as it is now. Your "
    "choice and comment are kept below; read it again and send your decision."
)


def _waiting() -> Any:
    return Claim.objects.filter(status=Status.SUBMITTED)


# Semi-joins (IN) rather than JOIN ... DISTINCT: DISTINCT over articles would compare every
# article's whole body.
def _queue_articles(request: HttpRequest | None) -> Any:
    return (
        Article.objects.filter(pk__in=_waiting().values("article_id"))
        .only("id", "title")
        .order_by("title")
    )


def _queue_authors(request: HttpRequest | None) -> Any:
    return (
        get_user_model().objects.filter(pk__in=_waiting().values("author_id")).order_by("username")
    )


class QueueFilter(django_filters.FilterSet):
    article = django_filters.ModelChoiceFilter(queryset=_queue_articles)
    verdict = django_filters.ModelChoiceFilter(queryset=Verdict.objects.all())
    author = django_filters.ModelChoiceFilter(queryset=_queue_authors)

    class Meta:
        model = Claim
        fields = list(FILTER_NAMES)


class NextForm(forms.Form):
    """The queue's filters, carried by the "Review next" button so that it honours them."""

    article = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    verdict = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    author = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, Action(a).label) for a in TRANSITION_ACTIONS])
    version = forms.IntegerField(min_value=1, max_value=MAX_VERSION, widget=forms.HiddenInput)
    comment = forms.CharField(
        required=False, max_length=MAX_COMMENT_LENGTH, strip=True, widget=forms.Textarea
    )


def _require_reviewer(request: HttpRequest) -> None:
    if not permissions.is_reviewer(request.user):
        raise PermissionDenied(gettext("The review queue is for reviewers and admins."))


def _require_desk(request: HttpRequest) -> None:
    if not permissions.is_editor(request.user):
        raise PermissionDenied(
            gettext("Review screens are for the desk: editors, reviewers and admins.")
        )


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    refuse_repeats(request.GET)
    queue = QueueFilter(request.GET, queryset=selectors.review_queue(request.user))
    claims = queue.qs
    active_filters = {
        name: value for name in FILTER_NAMES if (value := queue.form.cleaned_data.get(name))
    }
    counts = selectors.review_counts(request.user)
    page = Paginator(claims, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "annotations/review_queue.html",
        {
            "filter": queue,
            "page": page,
            "counts": counts,
            "next_values": {name: value.pk for name, value in active_filters.items()},
            "filter_query": urlencode({n: v.pk for n, v in active_filters.items()}),
        },
    )


@login_required
@require_POST
def review_next(request: HttpRequest) -> HttpResponse:
    form = NextForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, gettext("The queue filters were not understood; showing everything.")
        )
        return HttpResponseRedirect(reverse("review-queue"))
    wanted = {name: form.cleaned_data[name] for name in FILTER_NAMES}
    claim = services.review_next(
        reviewer=acting_user(request),
        article_id=wanted["article"],
        verdict_id=wanted["verdict"],
        author_id=wanted["author"],
    )
    if claim is None:
        messages.info(request, _nothing_to_review(request, filtered=any(wanted.values())))
        query = urlencode({k: v for k, v in wanted.items() if v is not None})
        return HttpResponseRedirect(reverse("review-queue") + (f"?{query}" if query else ""))
    return HttpResponseRedirect(reverse("review-claim", args=[claim.pk]))


def _nothing_to_review(request: HttpRequest, *, filtered: bool) -> str:
    """Why "Review next" found nothing, as the queue stands: nothing submitted, only the
    reviewer's own claims, or everything held by others."""
    counts = selectors.review_counts(request.user)
    if counts.submitted == 0:
        return gettext("Nothing to review: no claim is waiting in the queue.")
    if filtered:
        return gettext("No claim you may take matches these filters; clear them to see the rest.")
    others = counts.submitted - counts.mine_waiting
    if others <= 0:
        return gettext(
            "The only claims waiting are your own: another reviewer decides them (nobody "
            "reviews their own claim)."
        )
    return gettext(
        "Every waiting claim is held by another reviewer. A claim comes back to the queue "
        "when they release it or after %(minutes)d minutes without a decision."
    ) % {"minutes": settings.FACTCHECK_REVIEW_LEASE_MINUTES}


@login_required
@require_GET
def review_claim(request: HttpRequest, pk: int) -> HttpResponse:
    _require_desk(request)
    claim = selectors.claim_visible_to(request.user, pk)
    return _render_claim(request, claim)


@login_required
@require_POST
def review_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Take one workflow action on the claim: the service locks it, checks every rule and
    records the decision; a refusal re-renders the screen with the reason."""
    form = DecisionForm(request.POST)
    if not form.is_valid():
        problems = [
            f"{name}: {' '.join(str(e) for e in errors)}" for name, errors in form.errors.items()
        ]
        return _refused(request, pk, " ".join(problems), 400, form)
    action = form.cleaned_data["action"]
    try:
        claim = services.claim_transition(
            claim_id=pk,
            actor=acting_user(request),
            action=action,
            version=form.cleaned_data["version"],
            comment=form.cleaned_data["comment"],
        )
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None
    except StaleVersion:
        return _refused(request, pk, str(STALE), 409, form)
    except Conflict as refusal:
        return _refused(request, pk, refusal_message(refusal), 409, form)
    except PermissionDenied as refusal:
        return _refused(request, pk, refusal_message(refusal), 403, form)
    except ValidationError as refusal:
        return _refused(request, pk, refusal_message(refusal), 400, form)
    messages.success(
        request,
        gettext("Claim #%(number)d: %(action)s done.")
        % {"number": claim.pk, "action": str(CHOICES[action][1]).lower()},
    )
    return HttpResponseRedirect(reverse("review-claim", args=[claim.pk]))


@login_required
@require_POST
def review_release(request: HttpRequest, pk: int) -> HttpResponse:
    if services.review_release(claim_id=pk, reviewer=acting_user(request)):
        messages.success(
            request, gettext("Claim #%(number)d is back in the queue.") % {"number": pk}
        )
    else:
        messages.info(
            request,
            gettext("You were not holding claim #%(number)d; nothing to release.") % {"number": pk},
        )
    return HttpResponseRedirect(reverse("review-queue"))


def _refused(
    request: HttpRequest, pk: int, reason: str, status: int, form: DecisionForm
) -> HttpResponse:
    # The screen shows the claim as it is now, not as the refused POST saw it.
    _require_desk(request)
    fresh = selectors.claim_visible_to(request.user, pk)
    return _render_claim(request, fresh, error=reason, status=status, form=form)


def _either(labels: list[str]) -> str:
    if len(labels) == 1:
        return labels[0]
    return gettext("%(some)s or %(last)s") % {"some": ", ".join(labels[:-1]), "last": labels[-1]}


def _comment_help(choices: list[dict[str, Any]]) -> str:
    """Which choices need the comment, in a sentence: "Required to reject or request
    changes; optional to approve." """
    required = [str(c["label"]).lower() for c in choices if c["comment_required"]]
    optional = [str(c["label"]).lower() for c in choices if not c["comment_required"]]
    if not required:
        return gettext("Optional.")
    if not optional:
        return gettext("Required.")
    return gettext("Required to %(required)s; optional to %(optional)s.") % {
        "required": _either(required),
        "optional": _either(optional),
    }


def _render_claim(
    request: HttpRequest,
    claim: Claim,
    *,
    error: str = "",
    status: int = 200,
    form: DecisionForm | None = None,
) -> HttpResponse:
    user = request.user
    posted_action = form.data.get("action", "") if form is not None else ""
    posted_comment = form.data.get("comment", "") if form is not None else ""
    # A claim published before is being corrected: its submission carries the correction
    # note, published with it once approved (services.publication).
    published = publication.latest_record(claim.pk)
    correcting = published is not None and not published.is_retraction
    held = claim.is_held()
    held_by_other = held and claim.reviewer_id != user.pk
    available = permissions.available_actions(user, claim)
    if held_by_other:
        # Another reviewer's decision to make: the screen is read-only for the decisions.
        available = [action for action in available if action not in REVIEW_ACTIONS]
    choices = [
        {
            "action": action,
            "label": CHOICES[action][1],
            "key": CHOICES[action][0],
            "effect": CHOICES[action][2],
            "comment_required": action in COMMENT_REQUIRED
            or (correcting and action == Action.SUBMIT),
            "is_correction_note": correcting and action == Action.SUBMIT,
            "checked": action == posted_action or len(available) == 1,
        }
        for action in sorted(available, key=CHOICE_ORDER.index)
    ]
    record = selectors.claim_record(claim.pk)
    lease_ends = (
        claim.assigned_at + timedelta(minutes=settings.FACTCHECK_REVIEW_LEASE_MINUTES)
        if held and claim.assigned_at
        else None
    )
    return render(
        request,
        "annotations/review_claim.html",
        {
            "claim": claim,
            # In the text its offsets count in: an orphaned claim's is an earlier revision.
            "context": paragraph_around(claim.revision.body, claim.start, claim.end),
            "orphaned_in": (
                claim.revision if claim.revision_id != claim.article.current_revision_id else None
            ),
            "sources": claim.sources.all(),
            "record": record,
            "decisions": [entry.event for entry in record if entry.event is not None],
            "since_decided": selectors.changes_since_decided(record),
            "choices": choices,
            "comment": posted_comment,
            "comment_help": _comment_help(choices),
            "error": error,
            "is_held": held,
            "held_by_me": held and not held_by_other,
            "held_by_other": held_by_other,
            "lease_ends": lease_ends,
            "is_own": permissions.is_author(user, claim),
            "is_reviewer": permissions.is_reviewer(user),
            "can_edit": permissions.can_edit_claim(user, claim),
            "published": published,
            "correction_note": publication.pending_correction_note(claim.pk) if correcting else "",
            "checked_before": checked_before(claim.claim_text, exclude=claim.pk),
        },
        status=status,
    )
