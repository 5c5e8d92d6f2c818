"""Page-number pagination; clients may ask for bigger pages, up to a bound."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from annotations.models import MAX_ID


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class CappedCountPagination(Pagination):
    """Pages as Pagination's, with a count that stops at COUNT_CAP: an exact count reads every
    row of the list on every page asked, so on a long list it costs more than the page. Up to
    the cap `count` is exact and `count_capped` false; beyond it `count` is the cap and
    `count_capped` true (more than that many). `next` is known by reading one row past the
    page, not from the count, so every page stays reachable; a page past the end is a 404."""

    COUNT_CAP = 1000
    # "last" would need the exact count.
    last_page_strings = ()

    # A queryset only, not any sequence: the capped count is the database's.
    def paginate_queryset(  # type: ignore[override]
        self, queryset: QuerySet[Any], request: Request, view: APIView | None = None
    ) -> list[Any]:
        self.url = request.build_absolute_uri()
        size = self.get_page_size(request) or Pagination.page_size
        self.number = self._page_number(request, size)
        start = (self.number - 1) * size
        rows = list(queryset[start : start + size + 1])
        if not rows and self.number > 1:
            raise NotFound(self.invalid_page_message)
        self.has_next = len(rows) > size
        # Unordered, the count reads the narrow index alone, and stops one row past the cap.
        self.count = queryset.order_by()[: self.COUNT_CAP + 1].count()
        return rows[:size]

    def _page_number(self, request: Request, size: int) -> int:
        raw = request.query_params.get(self.page_query_param) or "1"
        try:
            number = int(raw)
        except ValueError:
            number = 0
        # A page starting past any id that can exist is past the end of every list.
        if number < 1 or (number - 1) * size > MAX_ID:
            raise NotFound(self.invalid_page_message)
        return number

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": min(self.count, self.COUNT_CAP),
                "count_capped": self.count > self.COUNT_CAP,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        return replace_query_param(self.url, self.page_query_param, self.number + 1)

    def get_previous_link(self) -> str | None:
        if self.number == 1:
            return None
        if self.number == 2:
            return remove_query_param(self.url, self.page_query_param)
        return replace_query_param(self.url, self.page_query_param, self.number - 1)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        described = super().get_paginated_response_schema(schema)
        described["required"] = [*described["required"], "count_capped"]
        described["properties"]["count"] = {
            "type": "integer",
            "description": f"The number of items, counted up to {self.COUNT_CAP:,}.",
            "example": 123,
        }
        described["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"Whether there are more than {self.COUNT_CAP:,} items (`count` "
            "is then the cap).",
            "example": False,
        }
        return described
