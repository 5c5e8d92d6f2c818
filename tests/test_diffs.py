"""What the review screen says changed in a claim's sources between two versions."""

from __future__ import annotations

from annotations.diffs import source_changes


def src(url: str, title: str, id: int | None = None, **fields: object) -> dict[str, object]:
    return {"id": id, "url": url, "title": title, **fields}


def test_a_list_sent_again_without_ids_is_matched_by_url_not_removed_and_added():
    before = [src("https://example.org/a", "Ministry note", id=1, archive_url="")]
    after = [
        src("https://example.org/a", "Ministry note", id=2, archive_url=""),
        src("https://example.org/b", "Second note", id=3),
    ]
    changes = source_changes(before, after)
    assert [(c.kind, c.name) for c in changes] == [("added", "Second note")]


def test_matched_by_id_a_changed_field_is_shown_and_a_missing_source_is_removed():
    before = [
        src("https://example.org/a", "Note", id=1),
        src("https://example.org/c", "Gone", id=9),
    ]
    after = [src("https://example.org/a", "Note, revised", id=1)]
    changes = source_changes(before, after)
    assert [(c.kind, c.name) for c in changes] == [
        ("changed", "Note, revised"),
        ("removed", "Gone"),
    ]
    assert [f.label for f in changes[0].fields] == ["title"]


def test_the_same_page_cited_twice_is_two_sources():
    before = [src("https://example.org/a", "First", id=1)]
    after = [
        src("https://example.org/a", "First", id=5),
        src("https://example.org/a", "Again", id=6),
    ]
    assert [(c.kind, c.name) for c in source_changes(before, after)] == [("added", "Again")]
