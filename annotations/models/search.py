"""The search index and the matches of articles' sentences against published claims.

ClaimSearch and ArticleSearch hold, per claim and per article, the folded words that search
finds them by (annotations.folding.index_text), written by the services whenever a claim's or
an article's text changes (annotations.services.search). The engines index them each their
own way, set up by annotations/migrations/_database_objects.py:

- PostgreSQL: `vector`, a stored generated column (to_tsvector with the `simple`
  configuration, which keeps every word as written) under a GIN index.
- SQLite: the FTS5 tables ClaimFts and ArticleFts (unicode61, remove_diacritics 2), external
  content over these tables, kept equal to them by triggers. `vector` is NULL there.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Func, Lookup
from django.utils import timezone

from annotations.models.claims import Claim
from annotations.models.content import Article
from annotations.validators import validate_clean_text, validate_moment


class SimpleVector(Func):
    """to_tsvector('simple', text) on PostgreSQL; NULL on SQLite, which searches its FTS5
    tables instead."""

    function = "to_tsvector"
    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return "NULL", ()


class ClaimSearch(models.Model):
    """One claim's text as search and "checked before?" compare it."""

    claim = models.OneToOneField(
        Claim, on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    # The restated claim, quote, claimant, rationale and sources' titles.
    document = models.TextField(validators=[validate_clean_text])
    # The restated claim alone, which "checked before?" compares (annotations.folding.stored):
    # its folded words, its numbers and its names.
    claim_key = models.TextField(validators=[validate_clean_text])
    numbers = models.TextField(blank=True, validators=[validate_clean_text])
    names = models.TextField(blank=True, validators=[validate_clean_text])
    vector = models.GeneratedField(
        expression=SimpleVector("document"), output_field=SearchVectorField(), db_persist=True
    )

    class Meta:
        # "Checked before?" looks claims up by their exact set of numbers.
        indexes = [models.Index(fields=["numbers"], name="claimsearch_numbers_idx")]

    def __str__(self) -> str:
        return f"search text of claim #{self.claim_id}"


class ArticleSearch(models.Model):
    """One article's title and text as search finds it (the text up to ARTICLE_INDEXED)."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    document = models.TextField(validators=[validate_clean_text])
    vector = models.GeneratedField(
        expression=SimpleVector("document"), output_field=SearchVectorField(), db_persist=True
    )

    def __str__(self) -> str:
        return f"search text of article #{self.article_id}"


class FtsText(models.TextField):  # type: ignore[type-arg]
    """A column of an FTS5 table: `column__match="query"` is FTS5's MATCH."""


@FtsText.register_lookup
class FtsMatch(Lookup[str]):
    lookup_name = "match"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", (*lhs_params, *rhs_params)


class Bm25(Func):
    """FTS5's bm25() relevance of `model`'s FTS5 table, joined and MATCHed by the same query
    (lower is more relevant): for an order_by."""

    def __init__(self, model: type[models.Model]) -> None:
        super().__init__(template=f"bm25({model._meta.db_table})", output_field=models.FloatField())


class ClaimFts(models.Model):
    """SQLite's FTS5 table over ClaimSearch.document (rowid: the claim's id). Read only."""

    claim = models.OneToOneField(
        Claim,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        related_name="fts",
    )
    document = FtsText(validators=[validate_clean_text])

    class Meta:
        managed = False
        db_table = "annotations_claim_fts"

    def __str__(self) -> str:
        return f"FTS row of claim #{self.claim_id}"


class ArticleFts(models.Model):
    """SQLite's FTS5 table over ArticleSearch.document (rowid: the article's id). Read only."""

    article = models.OneToOneField(
        Article,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        related_name="fts",
    )
    document = FtsText(validators=[validate_clean_text])

    class Meta:
        managed = False
        db_table = "annotations_article_fts"

    def __str__(self) -> str:
        return f"FTS row of article #{self.article_id}"


class KnownClaim(models.Model):
    """A sentence of an article that says what a published claim says: found by the matching
    task (annotations.tasks) when the article was imported, kept until it runs again."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="known_claims")
    # The sentence: code-point offsets into article.body, as a claim's span.
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="known_in")
    score = models.FloatField()
    matched_at = models.DateTimeField(default=timezone.now, validators=[validate_moment])

    class Meta:
        ordering = ["article_id", "start", "-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "start", "end", "claim"], name="known_claim_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="known_claim_span_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"article #{self.article_id} [{self.start}:{self.end}] ~ claim #{self.claim_id}"
