"""Migration 0006_claimants: the free-text claimants of the claims already there become
records, one per name once case and white space are folded, and back again when reversed."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("annotations", "0005_search")]
AFTER = [("annotations", "0006_claimants")]


def migrate_to(targets: list[tuple[str, str]]) -> Any:
    """Migrate the test database to `targets`; the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_free_text_claimants_become_one_record_per_name_and_come_back_when_reversed() -> None:
    old = migrate_to(BEFORE)
    try:
        user = old.get_model("auth", "User").objects.create(username="ed")
        article = old.get_model("annotations", "Article").objects.create(
            title="T", body="The mayor said so. The Kremlin said so.", body_sha256="x" * 64
        )
        Claim = old.get_model("annotations", "Claim")
        written = ["The  mayor", "the MAYOR ", "Kremlin", "", "The mayor", "Мэр", "мэр"]
        for number, claimant in enumerate(written):
            Claim.objects.create(
                article=article,
                start=0,
                end=9,
                quote="The mayor",
                claim_text=f"claim {number}",
                claimant=claimant,
                author=user,
            )

        new = migrate_to(AFTER)
        Claimant = new.get_model("annotations", "Claimant")
        claims = new.get_model("annotations", "Claim").objects.order_by("pk")
        names = [claim.claimant.name if claim.claimant_id else "" for claim in claims]
        # Named as the earliest claim wrote it, its runs of white space made one.
        assert names == ["The mayor", "The mayor", "Kremlin", "", "The mayor", "Мэр", "Мэр"]
        assert sorted(Claimant.objects.values_list("name", flat=True)) == [
            "Kremlin",
            "The mayor",
            "Мэр",
        ]
        # Nobody said which are organisations: each a Person, to be confirmed.
        assert set(Claimant.objects.values_list("kind", "kind_unconfirmed")) == {("Person", True)}

        back = migrate_to(BEFORE)
        texts = back.get_model("annotations", "Claim").objects.order_by("pk")
        assert [c.claimant for c in texts] == [
            "The mayor",
            "The mayor",
            "Kremlin",
            "",
            "The mayor",
            "Мэр",
            "Мэр",
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
