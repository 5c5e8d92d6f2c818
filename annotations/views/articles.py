from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from annotations import selectors


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    articles = selectors.articles_with_claim_counts(request.user).order_by("-published_on", "-id")
    return render(request, "annotations/article_list.html", {"articles": articles})


@login_required
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_visible_to(request.user, pk)
    claims = selectors.claims_of_article(request.user, article)
    return render(
        request, "annotations/article_detail.html", {"article": article, "claims": claims}
    )
