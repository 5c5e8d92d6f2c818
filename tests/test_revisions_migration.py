"""Migrations 0007 and 0008 on a desk with work in it: every article gets its text as revision
1, its claims and public records point into it, and the record's guard holds afterwards."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("annotations", "0006_claimants")]
AFTER = [("annotations", "0008_revisions_kept")]


@pytest.mark.django_db(transaction=True)
def test_existing_articles_get_revision_one_with_their_claims_and_records() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    user = apps.get_model("auth", "User").objects.create(username="old-hand")
    Article = apps.get_model("annotations", "Article")
    body = "The mayor said unemployment had fallen by half since 2020.\n"
    now = timezone.now()
    article = Article.objects.create(
        title="Before revisions", body=body, body_sha256="0" * 64, imported_by=user
    )
    claim = apps.get_model("annotations", "Claim").objects.create(
        article=article,
        start=4,
        end=9,
        quote="mayor",
        claim_text="The mayor said so.",
        status="approved",
        author=user,
        published_at=now,
    )
    apps.get_model("annotations", "Publication").objects.create(
        claim=claim,
        number=1,
        kind="published",
        published_at=now,
        first_published_at=now,
        article=article,
        start=4,
        end=9,
        quote="mayor",
        claim_text="The mayor said so.",
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    revision = apps.get_model("annotations", "ArticleRevision").objects.get()
    assert (revision.article_id, revision.number, revision.kind) == (article.pk, 1, "import")
    assert (revision.body, revision.title, revision.created_by_id) == (
        body,
        "Before revisions",
        user.pk,
    )
    assert apps.get_model("annotations", "Article").objects.get().current_revision_id == (
        revision.pk
    )
    assert apps.get_model("annotations", "Claim").objects.get().revision_id == revision.pk
    assert apps.get_model("annotations", "Publication").objects.get().revision_id == revision.pk
    # The guard is back, over the old record and the new one.
    for statement in [
        "UPDATE annotations_publication SET note = 'x'",
        "UPDATE annotations_articlerevision SET title = 'x'",
    ]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    # The later migrations too, so the test leaves the schema it found.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
