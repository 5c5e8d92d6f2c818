"""Django's admin for the desk: claims are reviewed here through the same service as
everywhere else, users get their role here, admins keep the articles and the verdict scale.

Who may see or change what is asked of annotations.permissions, never of Django's model
permissions alone, so that the admin follows the same rules as the pages, the API and the
commands. Claims are read-only: their content belongs to their authors (through the
service), their status moves only through claim_transition.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import ProtectedError, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from annotations import permissions, selectors, services
from annotations.errors import Conflict, refusal_message
from annotations.models import Article, Claim, ReviewEvent, Source, Verdict
from annotations.roles import Role
from annotations.services import MAX_COMMENT_LENGTH
from annotations.workflow import COMMENT_REQUIRED, Action

User = get_user_model()

# One decision page handles at most this many claims; more is a slip of "select all".
MAX_CLAIMS_PER_DECISION = 100


# Stored URLs always carry their scheme; say so rather than rely on a changing default.
_URL_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class _ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    formfield_overrides = _URL_FIELDS
    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_reviewer(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SourceInline(_ReadOnlyInline):
    model = Source
    fields = ("position", "url", "title", "publisher", "kind", "accessed_on", "archive_url")


class ReviewEventInline(_ReadOnlyInline):
    model = ReviewEvent
    fields = ("created_at", "actor", "action", "from_status", "to_status", "comment")
    # created_at is not editable: Django refuses to build a form that names it otherwise.
    readonly_fields = fields
    ordering = ("created_at", "id")
    verbose_name = "history entry"
    verbose_name_plural = "history"


class DecisionForm(forms.Form):
    comment = forms.CharField(
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = action in COMMENT_REQUIRED


class _ReviewersSee:
    """Reviewers and admins may open these pages of the admin."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_reviewer(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_reviewer(request.user)


class _ReviewersReadOnly(_ReviewersSee):
    """Look, never touch: claims are created and edited by their authors through the service,
    and the history is append-only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Claim)
class ClaimAdmin(_ReviewersReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "id",
        "claim_text_short",
        "article",
        "status",
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
    search_fields = ("claim_text", "quote", "claimant", "rationale", "article__title")
    search_help_text = "Searches the claim, the quote, the claimant, the rationale, the article."
    ordering = ("-submitted_at", "-id")
    fields = (
        "review_link",
        "article",
        "quote",
        "claim_text",
        "claimant",
        "verdict",
        "rationale",
        "status",
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
    inlines = [SourceInline, ReviewEventInline]
    actions = ["approve_claims", "reject_claims", "request_changes_claims", "reopen_claims"]

    @admin.display(description="claim")
    def claim_text_short(self, claim: Claim) -> str:
        return claim.claim_text[:80]

    @admin.display(description="review screen")
    def review_link(self, claim: Claim) -> str:
        return format_html(
            '<a href="{}">Open claim #{} for review</a>',
            reverse("review-claim", args=[claim.pk]),
            claim.pk,
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return selectors.claims_visible_to(request.user).select_related(
            "article", "verdict", "author", "reviewer"
        )

    # Named by the actions' allowed_permissions; whether a particular claim may be decided
    # by this user (four eyes) is the service's question, asked per claim.
    def has_review_permission(self, request: HttpRequest) -> bool:
        return permissions.is_reviewer(request.user)

    def has_reopen_permission(self, request: HttpRequest) -> bool:
        return permissions.is_admin(request.user)

    @admin.action(description="Approve selected claims", permissions=["review"])
    def approve_claims(self, request: HttpRequest, queryset: QuerySet[Claim]) -> Any:
        return self._decide(request, queryset, Action.APPROVE)

    @admin.action(description="Reject selected claims", permissions=["review"])
    def reject_claims(self, request: HttpRequest, queryset: QuerySet[Claim]) -> Any:
        return self._decide(request, queryset, Action.REJECT)

    @admin.action(description="Request changes to selected claims", permissions=["review"])
    def request_changes_claims(self, request: HttpRequest, queryset: QuerySet[Claim]) -> Any:
        return self._decide(request, queryset, Action.REQUEST_CHANGES)

    @admin.action(description="Reopen selected claims for correction", permissions=["reopen"])
    def reopen_claims(self, request: HttpRequest, queryset: QuerySet[Claim]) -> Any:
        return self._decide(request, queryset, Action.REOPEN)

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
                f"Choose at most {MAX_CLAIMS_PER_DECISION} claims for one decision.",
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
            "title": f"{Action(action).label}: {len(claims)} claim(s)",
            "opts": self.model._meta,
            "claims": claims,
            "form": form,
            # The admin action's name, posted again by the confirmation form.
            "action": request.POST["action"],
            "action_label": Action(action).label,
            "checkbox_name": ACTION_CHECKBOX_NAME,
            "changelist_url": reverse("admin:annotations_claim_changelist"),
        }
        return TemplateResponse(request, "admin/annotations/claim/decide.html", context)

    def _decide_one(self, request: HttpRequest, claim: Claim, action: str, comment: str) -> None:
        label = Action(action).label.lower()
        try:
            version = int(request.POST.get(f"version_{claim.pk}", ""))
        except ValueError:
            self.message_user(
                request, f"Claim #{claim.pk}: no version was sent; nothing done.", messages.ERROR
            )
            return
        try:
            services.claim_transition(
                claim=claim,
                actor=request.user,  # type: ignore[arg-type]
                action=action,
                version=version,
                comment=comment,
            )
        except Claim.DoesNotExist:
            reason = "it no longer exists."
        except (Conflict, PermissionDenied, ValidationError) as refusal:
            reason = refusal_message(refusal)
        else:
            self.message_user(request, f"Claim #{claim.pk}: {label} done.", messages.SUCCESS)
            return
        self.message_user(
            request, f"Claim #{claim.pk}: refused ({label}). {reason}", messages.ERROR
        )


@admin.register(ReviewEvent)
class ReviewEventAdmin(_ReviewersReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("claim", "action", "from_status", "to_status", "actor", "created_at")
    list_filter = ("action", "to_status")
    list_select_related = ("claim", "actor")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReviewEvent]:
        visible = selectors.claims_visible_to(request.user)
        return super().get_queryset(request).filter(claim__in=visible.values("pk"))


class _AdminsManage(_ReviewersSee, admin.ModelAdmin):  # type: ignore[type-arg]
    """Reviewers may look; only admins change. A deletion blocked by a protected reference
    is reported, not a server error."""

    formfield_overrides = _URL_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.is_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_admin(request.user)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # Claims are never deleted in the admin, so Django would blame a missing
            # permission; the claims that use the object are the real reason, shown instead.
            perms_needed = set()
        return deleted, counts, perms_needed, protected

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # The confirmation page already lists protected claims; this covers a claim that
        # started using the object between that page and the POST.
        try:
            return super().delete_view(request, object_id, extra_context)
        except ProtectedError as blocked:
            self.message_user(request, _in_use_message(blocked), messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        try:
            super().delete_queryset(request, queryset)
        except ProtectedError as blocked:
            self.message_user(request, _in_use_message(blocked), messages.ERROR)


def _in_use_message(blocked: ProtectedError) -> str:
    count = len(blocked.protected_objects)
    return (
        f"Not deleted: {count} claim(s) still use it. Change their verdict or article first, "
        "or keep it."
    )


@admin.register(Article)
class ArticleAdmin(_AdminsManage):
    list_display = ("title", "publisher", "published_on", "language", "imported_at")
    search_fields = ("title", "publisher", "byline", "source_url")
    # The body is what every claim's offsets point into: it never changes once imported.
    readonly_fields = (
        "body",
        "body_sha256",
        "revision_of",
        "imported_by",
        "imported_at",
        "source_file",
    )

    # Articles arrive through the import (command or API), which normalises, hashes and
    # deduplicates the text; a blank admin form would bypass all of that.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Verdict)
class VerdictAdmin(_AdminsManage):
    list_display = ("label", "slug", "rating", "colour", "order")
    prepopulated_fields = {"slug": ("label",)}


# --- Users and their role -------------------------------------------------------------------

ROLE_CHOICES = [("", "No role (reads published claims only)"), *Role.choices]


def _held_role(user: Any) -> str:
    """The role group the user belongs to ("" for none); superuser status aside."""
    if user is None or user.pk is None:
        return ""
    return permissions.group_role(user) or ""


class RoleChangeForm(UserChangeForm):  # type: ignore[type-arg]
    role = forms.ChoiceField(choices=ROLE_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].initial = _held_role(self.instance)


class RoleCreationForm(AdminUserCreationForm):  # type: ignore[type-arg]
    role = forms.ChoiceField(choices=ROLE_CHOICES, required=False, initial=Role.EDITOR)


admin.site.unregister(User)


@admin.register(User)
class FactcheckUserAdmin(UserAdmin):  # type: ignore[type-arg]
    """Admins manage users and give each one role (services.user_set_role keeps is_staff in
    step). Group membership, model permissions and superuser status are not edited here."""

    form = RoleChangeForm
    add_form = RoleCreationForm
    list_display = ("username", "email", "role", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "groups")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Role", {"fields": ("role", "is_active")}),
        ("Status", {"fields": ("is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2", "role"),
            },
        ),
    )
    readonly_fields = ("is_staff", "is_superuser", "last_login", "date_joined")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # The role column reads each user's groups: one query for the page, not one per row.
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="role")
    def role(self, user: Any) -> str:
        held = _held_role(user)
        return Role(held).label if held else "—"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.is_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not permissions.is_admin(request.user):
            return False
        # Changing a superuser (their password, above all) would make one: only one may.
        return obj is None or not obj.is_superuser or request.user.is_superuser

    # Users who wrote or decided claims stay for the record; deactivate them instead.
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        chosen = form.cleaned_data.get("role") or None
        services.user_set_role(user=form.instance, role=Role(chosen) if chosen else None)
