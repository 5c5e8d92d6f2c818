from django.urls import path

from annotations.views import articles

urlpatterns = [
    path("", articles.article_list, name="article-list"),
    path("articles/<int:pk>/", articles.article_detail, name="article-detail"),
]
