"""The author's desk: "My claims", the notices of decisions on them, and the settings of those
notices. Thin pages over selectors and services.notifications; every change is a POST
answered by a redirect."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations import selectors
from annotations.models import MAX_ID, Claim, Notification, NotificationKind
from annotations.outputs import latest_decisions
from annotations.query_params import refuse_repeats
from annotations.request_user import acting_user
from annotations.services import notifications as service
from annotations.templatetags.desk import STATE_NAMES
from annotations.workflow import Status

PAGE_SIZE = 50

# The statuses as "My claims" names them, in the reader's language.
STATUS_LABELS = STATE_NAMES
# What the author is asked to do when a claim is in this state, shown beside it.
NEXT_STEP = {
    Status.CHANGES_REQUESTED: gettext_lazy("Correct it on the article page and submit it again."),
    Status.DRAFT: gettext_lazy("A draft: submit it for review when it is ready."),
    Status.SUBMITTED: gettext_lazy("Waiting for a reviewer."),
}

# The notices about the claim in its article open on the article page (where a claim sent
# back is edited); the others on the claim's page with its history.
ON_THE_ARTICLE = frozenset({NotificationKind.CHANGES_REQUESTED, NotificationKind.ARTICLE_CHANGED})
# What the author is asked to do, by notice.
NOTICE_NEXT_STEP = {
    NotificationKind.CHANGES_REQUESTED: gettext_lazy(
        "It is back with you: correct it and submit it again."
    ),
    NotificationKind.ARTICLE_CHANGED: gettext_lazy(
        "The article's text changed: check the claim in it."
    ),
}


def article_anchor(claim_id: int, article_id: int) -> str:
    """The claim on its article page (the panel lists each claim as #claim-ID)."""
    return reverse("article-detail", args=[article_id]) + f"#claim-{claim_id}"


@login_required
@require_GET
def my_claims(request: HttpRequest) -> HttpResponse:
    """The user's claims by status, each with its latest decision, who made it and why."""
    refuse_repeats(request.GET)
    status = request.GET.get("status", "")
    if status and status not in Status.values:
        status = ""
    claims = selectors.claims_of_author(request.user, status or None)
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    decisions = latest_decisions(Claim.objects.filter(pk__in=[c.pk for c in page.object_list]))
    counts = selectors.claim_counts_of_author(request.user)
    rows = [
        {
            "claim": claim,
            "status_label": STATUS_LABELS[claim.status],
            "decision": decisions.get(claim.pk),
            "next_step": NEXT_STEP.get(Status(claim.status), ""),
            "article_link": article_anchor(claim.pk, claim.article_id),
        }
        for claim in page.object_list
    ]
    tabs = [
        {"status": value, "label": STATUS_LABELS[value], "count": counts[value]}
        for value in selectors.MY_CLAIMS_ORDER
    ]
    return render(
        request,
        "annotations/my_claims.html",
        {
            "page": page,
            "rows": rows,
            "tabs": tabs,
            "total": sum(counts.values()),
            "status": status,
        },
    )


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    refuse_repeats(request.GET)
    unread_only = request.GET.get("show") == "unread"
    notices = selectors.notifications_of(request.user, unread_only=unread_only)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "annotations/notifications.html",
        {
            "page": page,
            "unread_only": unread_only,
            "next_steps": NOTICE_NEXT_STEP,
        },
    )


def _notice_id(pk: int) -> int:
    if pk > MAX_ID:
        raise Http404("No such notification.")
    return pk


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notice read and go to what it is about: the article page for a claim handed
    back to its author, else the claim's page with its history."""
    try:
        notice = service.notification_mark(
            user=acting_user(request), notification_id=_notice_id(pk), read=True
        )
    except Notification.DoesNotExist:
        raise Http404("No such notification.") from None
    claim = notice.claim
    if notice.kind in ON_THE_ARTICLE:
        return HttpResponseRedirect(article_anchor(claim.pk, claim.article_id))
    return HttpResponseRedirect(reverse("review-claim", args=[claim.pk]))


class MarkForm(forms.Form):
    read = forms.TypedChoiceField(
        choices=[("1", "read"), ("0", "unread")], coerce=lambda v: v == "1"
    )


@login_required
@require_POST
def notification_mark(request: HttpRequest, pk: int) -> HttpResponse:
    form = MarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Say whether to mark it read or unread."))
        return _back(request)
    try:
        service.notification_mark(
            user=acting_user(request),
            notification_id=_notice_id(pk),
            read=form.cleaned_data["read"],
        )
    except Notification.DoesNotExist:
        raise Http404("No such notification.") from None
    return _back(request)


@login_required
@require_POST
def notification_mark_all(request: HttpRequest) -> HttpResponse:
    marked = service.notifications_mark_all_read(user=acting_user(request))
    if marked:
        messages.success(
            request,
            gettext("Marked read: %(n)d.") % {"n": marked},
        )
    return _back(request)


def _back(request: HttpRequest) -> HttpResponseRedirect:
    """To the list page the form was on (a local address only)."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(wanted)
    return HttpResponseRedirect(reverse("notifications"))


class SettingsForm(forms.Form):
    email = forms.BooleanField(
        label=gettext_lazy("E-mail me about decisions on my claims"),
        required=False,
        help_text=gettext_lazy(
            "The notices always appear on the desk; this adds an e-mail for each."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            chosen = service.notification_settings_set(user=user, email=form.cleaned_data["email"])
            messages.success(
                request,
                gettext("Saved: notices will be e-mailed to you too.")
                if chosen.email
                else gettext("Saved: no more e-mails; notices stay on the desk."),
            )
            return HttpResponseRedirect(reverse("notification-settings"))
    else:
        form = SettingsForm(initial={"email": service.notification_settings_of(user).email})
    return render(
        request,
        "annotations/notification_settings.html",
        {"form": form, "address": user.email},
    )
