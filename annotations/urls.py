from django.urls import path

from annotations.views import articles, public, review

urlpatterns = [
    path("", articles.article_list, name="article-list"),
    path("articles/import/", articles.article_import, name="article-import"),
    path("articles/<int:pk>/", articles.article_detail, name="article-detail"),
    path("claims/<int:pk>/", public.claim_public, name="claim-public"),
    path("review/", review.review_queue, name="review-queue"),
    path("review/next/", review.review_next, name="review-next"),
    path("review/<int:pk>/", review.review_claim, name="review-claim"),
    path("review/<int:pk>/act/", review.review_act, name="review-act"),
    path("review/<int:pk>/release/", review.review_release, name="review-release"),
]
