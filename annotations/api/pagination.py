"""Page-number pagination; clients may ask for bigger pages, up to a bound."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class Counted:
    """A queryset whose count is already known, to paginate without counting it again:
    Django's paginator asks an object list for count() and then slices it."""

    def __init__(self, queryset: QuerySet[Any], count: int) -> None:
        self.queryset = queryset
        self._count = count

    def count(self) -> int:
        return self._count

    @property
    def ordered(self) -> bool:
        return self.queryset.ordered

    def __getitem__(self, index: Any) -> Any:
        return self.queryset[index]

    def __repr__(self) -> str:
        # Named in the paginator's warning about an unordered list.
        return f"<Counted {self._count} of {self.queryset!r}>"
