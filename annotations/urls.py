from django.urls import path

from annotations.feeds import CorrectionsFeed, FactChecksFeed
from annotations.views import (
    articles,
    claimants,
    dashboard,
    matching,
    notifications,
    preferences,
    public,
    record,
    review,
    revisions,
    search,
)

urlpatterns = [
    path("", articles.article_list, name="article-list"),
    path("articles/<int:pk>/", articles.article_detail, name="article-detail"),
    path(
        "articles/<int:pk>/claims/<int:claim_pk>/",
        articles.article_claim_row,
        name="article-claim-row",
    ),
    path("articles/import/", articles.article_import, name="article-import"),
    path("articles/<int:pk>/check/", revisions.article_check_view, name="article-check"),
    path("articles/<int:pk>/compare/", revisions.article_compare, name="article-compare"),
    path(
        "articles/<int:pk>/revisions/<int:number>/",
        revisions.article_revision,
        name="article-revision",
    ),
    path("search/", search.search_page, name="search"),
    path(
        "articles/<int:pk>/known/<int:known>/repeat/",
        matching.known_claim_repeat,
        name="known-claim-repeat",
    ),
    # The public record: no sign-in.
    path("claimants/<int:pk>/", claimants.claimant_page, name="claimant-page"),
    path("claims/", record.claims_list, name="public-claims"),
    path("claims/feed/", FactChecksFeed(), name="claims-feed"),
    path("claims/datafeed.jsonld", record.datafeed, name="claims-datafeed"),
    path("claims/<int:pk>/", public.claim_public, name="claim-public"),
    path("corrections/", record.corrections_list, name="public-corrections"),
    path("corrections/feed/", CorrectionsFeed(), name="corrections-feed"),
    path("sitemap.xml", record.sitemap, name="sitemap"),
    path("review/", review.review_queue, name="review-queue"),
    path("review/next/", review.review_next, name="review-next"),
    path("review/<int:pk>/", review.review_claim, name="review-claim"),
    path("review/<int:pk>/act/", review.review_act, name="review-act"),
    path("review/<int:pk>/release/", review.review_release, name="review-release"),
    path("my/settings/display/", preferences.display_settings, name="display-settings"),
    # The desk's daily loop: one's own claims and notices, and the desk's figures.
    path("my/claims/", notifications.my_claims, name="my-claims"),
    path("my/notifications/", notifications.notification_list, name="notifications"),
    path("my/notifications/<int:pk>/", notifications.notification_open, name="notification-open"),
    path(
        "my/notifications/<int:pk>/mark/",
        notifications.notification_mark,
        name="notification-mark",
    ),
    path(
        "my/notifications/read-all/",
        notifications.notification_mark_all,
        name="notifications-read-all",
    ),
    path("my/settings/", notifications.notification_settings, name="notification-settings"),
    path("desk/", dashboard.desk_dashboard, name="desk-dashboard"),
]
