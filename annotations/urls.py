from django.urls import path

from annotations.feeds import CorrectionsFeed, FactChecksFeed
from annotations.views import articles, public, record, review

urlpatterns = [
    path("", articles.article_list, name="article-list"),
    path("articles/<int:pk>/", articles.article_detail, name="article-detail"),
    path(
        "articles/<int:pk>/claims/<int:claim_pk>/",
        articles.article_claim_row,
        name="article-claim-row",
    ),
    path("articles/import/", articles.article_import, name="article-import"),
    # The public record: no sign-in.
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
]
