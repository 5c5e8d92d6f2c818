"""Claims in the admin: read-only, reviewed through the same service as everywhere else."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from annotations import permissions, services
from annotations.admin.base import DeclaredFiltersOnly, ReadOnlyInline, ReviewersReadOnly
from annotations.errors import Conflict, refusal_message
from annotations.models import Claim, ClaimVersion, ReviewEvent, Source
from annotations.request_user import acting_user
from annotations.templatetags.desk import action_name
from annotations.workflow import COMMENT_REQUIRED, MAX_COMMENT_LENGTH, Action, Status

MAX_CLAIMS_PER_DECISION = 100


class SourceInline(ReadOnlyInline):
    model = Source
    fields = (
        "position",
        "url",
        "title",
        "publisher",
        "kind",
        "published_on",
        "accessed_on",
        "archive_url",
    )


class ClaimVersionInline(ReadOnlyInline):
    model = ClaimVersion
    fields = ("number", "created_at", "author", "claim_text", "claimant", "verdict", "rationale")
    # created_at is not editable: Django refuses to build a form that names it otherwise.
    readonly_fields = fields
    ordering = ("number",)
    verbose_name = gettext_lazy("edit")
    verbose_name_plural = gettext_lazy("edits of the content")


class HistoryColumns:
    """A history entry's action and statuses, by the workflow's labels."""

    @admin.display(description=gettext_lazy("action"))
    def action_done(self, event: ReviewEvent) -> str:
        return action_name(event.action)

    @admin.display(description=gettext_lazy("from status"))
    def status_before(self, event: ReviewEvent) -> str:
        return status_label(event.from_status) if event.from_status else "—"

    @admin.display(description=gettext_lazy("to status"))
    def status_after(self, event: ReviewEvent) -> str:
        return status_label(event.to_status)


class ReviewEventInline(HistoryColumns, ReadOnlyInline):
    model = ReviewEvent
    fields = ("created_at", "actor", "action_done", "status_before", "status_after", "comment")
    # created_at is not editable: Django refuses to build a form that names it otherwise.
    readonly_fields = fields
    ordering = ("created_at", "id")
    verbose_name = gettext_lazy("history entry")
    verbose_name_plural = gettext_lazy("history")


def status_label(status: str) -> str:
    """A claim status as the admin's columns show it: the workflow's label."""
    return str(Status(status).label) if status in Status.values else status


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = action in COMMENT_REQUIRED


@admin.register(Claim)
class ClaimAdmin(ReviewersReadOnly, DeclaredFiltersOnly):
    list_display = (
        "id",
        "claim_text_short",
        "article",
        "status_shown",
        "verdict",
        "author",
        "reviewer",
        "version",
        "submitted_at",
    )
    list_filter = (
        "status",
        "verdict",
        ("article", admin.RelatedOnlyFieldListFilter),
        ("author", admin.RelatedOnlyFieldListFilter),
        ("reviewer", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("claim_text", "quote", "claimant__name", "rationale", "article__title")
    search_help_text = gettext_lazy(
        "Searches the claim, the quote, the claimant, the rationale, the article."
    )
    ordering = ("-submitted_at", "-id")
    fields = (
        "review_link",
        "article",
        "quote",
        "claim_text",
        "claimant",
        "verdict",
        "rationale",
        "status_shown",
        "author",
        "reviewer",
        "assigned_at",
        "submitted_at",
        "published_at",
        "version",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = [SourceInline, ClaimVersionInline, ReviewEventInline]
    actions = [
        "approve_claims",
        "reject_claims",
        "request_changes_claims",
        "reopen_claims",
        "retract_claims",
    ]

    @admin.display(description=gettext_lazy("claim"))
    def claim_text_short(self, claim: Claim) -> str:
        return claim.claim_text[:80]

    # The status in the reader's language (the workflow's choices are English).
    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_shown(self, claim: Claim) -> str:
        return status_label(claim.status)

    @admin.display(description=gettext_lazy("review screen"))
    def review_link(self, claim: Claim) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("review-claim", args=[claim.pk]),
            _("Open claim #%(id)s for review") % {"id": claim.pk},
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return Claim.objects.visible_to(request.user).select_related(
            "article", "verdict", "author", "reviewer"
        )

    # Named by the actions' allowed_permissions; whether a particular claim may be decided
    # by this user (four eyes) is the service's question, asked per claim.
    def has_review_permission(self, request: HttpRequest) -> bool:
        return permissions.is_reviewer(request.user)

    def has_reopen_permission(self, request: HttpRequest) -> bool:
        return permissions.is_admin(request.user)

    def has_retract_permission(self, request: HttpRequest) -> bool:
        return permissions.is_admin(request.user)

    @admin.action(description=gettext_lazy("Approve selected claims"), permissions=["review"])
    def approve_claims(self, request: HttpRequest, queryset: QuerySet[Claim]) -> Any:
        return self._decide(request, queryset, Action.APPROVE)

    @admin.action(description=gettext_lazy("Reject selected claims"), permissions=["review"])
    def reject_claims(self, request: HttpRequest, queryset: QuerySet[Claim]) -> Any:
        return self._decide(request, queryset, Action.REJECT)

    @admin.action(
        description=gettext_lazy("Request changes to selected claims"), permissions=["review"]
    )
    def request_changes_claims(self, request: HttpRequest, queryset: QuerySet[Claim]) -> Any:
        return self._decide(request, queryset, Action.REQUEST_CHANGES)

    @admin.action(
        description=gettext_lazy("Reopen selected claims for correction"), permissions=["reopen"]
    )
    def reopen_claims(self, request: HttpRequest, queryset: QuerySet[Claim]) -> Any:
        return self._decide(request, queryset, Action.REOPEN)

    @admin.action(description=gettext_lazy("Retract selected claims"), permissions=["retract"])
    def retract_claims(self, request: HttpRequest, queryset: QuerySet[Claim]) -> Any:
        return self._decide(request, queryset, Action.RETRACT)

    def _decide(
        self, request: HttpRequest, queryset: QuerySet[Claim], action: str
    ) -> HttpResponse | None:
        """First show the chosen claims, each with the version being decided, and ask for the
        comment; on confirmation take the action on each claim through the service and
        report, claim by claim, what happened."""
        claims = list(queryset.order_by("submitted_at", "id")[: MAX_CLAIMS_PER_DECISION + 1])
        if len(claims) > MAX_CLAIMS_PER_DECISION:
            self.message_user(
                request,
                _("Choose at most %(count)d claims for one decision.")
                % {"count": MAX_CLAIMS_PER_DECISION},
                messages.ERROR,
            )
            return None
        if request.POST.get("confirm") == "yes":
            form = DecisionForm(request.POST, action=action)
            if form.is_valid():
                for claim in claims:
                    self._decide_one(request, claim, action, form.cleaned_data["comment"])
                return None
        else:
            form = DecisionForm(action=action)
        context = {
            **self.admin_site.each_context(request),
            "title": ngettext(
                "%(action)s: %(count)d claim", "%(action)s: %(count)d claims", len(claims)
            )
            % {"action": action_name(action), "count": len(claims)},
            "opts": self.model._meta,
            "claims": claims,
            "form": form,
            # The admin action's name, posted again by the confirmation form.
            "action": request.POST["action"],
            "action_label": action_name(action),
            "checkbox_name": ACTION_CHECKBOX_NAME,
            "changelist_url": reverse("admin:annotations_claim_changelist"),
        }
        return TemplateResponse(request, "admin/annotations/claim/decide.html", context)

    def _decide_one(self, request: HttpRequest, claim: Claim, action: str, comment: str) -> None:
        label = action_name(action).lower()
        try:
            version = int(request.POST.get(f"version_{claim.pk}", ""))
        except ValueError:
            self.message_user(
                request,
                _("Claim #%(id)s: no version was sent; nothing done.") % {"id": claim.pk},
                messages.ERROR,
            )
            return
        try:
            services.claim_transition(
                claim_id=claim.pk,
                actor=acting_user(request),
                action=action,
                version=version,
                comment=comment,
            )
        except Claim.DoesNotExist:
            reason = _("it no longer exists.")
        except (Conflict, PermissionDenied, ValidationError) as refusal:
            reason = refusal_message(refusal)
        else:
            self.message_user(
                request,
                _("Claim #%(id)s: %(action)s done.") % {"id": claim.pk, "action": label},
                messages.SUCCESS,
            )
            return
        self.message_user(
            request,
            _("Claim #%(id)s: refused (%(action)s). %(reason)s")
            % {"id": claim.pk, "action": label, "reason": reason},
            messages.ERROR,
        )


@admin.register(ReviewEvent)
class ReviewEventAdmin(HistoryColumns, ReviewersReadOnly, DeclaredFiltersOnly):
    list_display = ("claim", "action_done", "status_before", "status_after", "actor", "created_at")
    list_filter = ("action", "to_status")
    list_select_related = ("claim", "actor")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReviewEvent]:
        visible = Claim.objects.visible_to(request.user)
        return super().get_queryset(request).filter(claim__in=visible.values("pk"))
