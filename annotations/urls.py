from django.urls import path

from annotations.views import articles, public

urlpatterns = [
    path("", articles.article_list, name="article-list"),
    path("articles/<int:pk>/", articles.article_detail, name="article-detail"),
    path("claims/<int:pk>/", public.claim_public, name="claim-public"),
]
