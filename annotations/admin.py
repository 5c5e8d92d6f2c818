from __future__ import annotations

from django.contrib import admin

from annotations.models import Article, Claim, ReviewEvent, Source, Verdict


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "publisher", "published_on", "language", "imported_at")
    search_fields = ("title", "publisher", "byline", "source_url")
    readonly_fields = ("body_sha256", "imported_by", "imported_at", "source_file")


@admin.register(Verdict)
class VerdictAdmin(admin.ModelAdmin):
    list_display = ("label", "slug", "rating", "colour", "order")
    prepopulated_fields = {"slug": ("label",)}


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ("id", "claim_text", "article", "status", "verdict", "author", "reviewer")
    list_filter = ("status", "verdict")
    search_fields = ("claim_text", "quote", "claimant")
    inlines = [SourceInline]


@admin.register(ReviewEvent)
class ReviewEventAdmin(admin.ModelAdmin):
    list_display = ("claim", "action", "from_status", "to_status", "actor", "created_at")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
