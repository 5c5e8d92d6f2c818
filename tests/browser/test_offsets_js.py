"""The page's offset conversions, run in Chromium and checked against the server's."""

from __future__ import annotations

from typing import Any

from tests.factories import ArticleFactory, make_user
from tests.utf16 import index_to_utf16_offset, utf16_offset_to_index

TEXTS = [
    "plain ascii",
    "Fans 🎉🎉 cheered",
    "🇺🇦🇫🇷 flags and 𝒳",
    "👩‍👩‍👧 family, é composed, é decomposed",
    "Министр заявил",
    "line\nbreaks\n\nand\ttabs",
    "😀",
    "",
]


def test_utf16_and_code_point_offsets_agree_with_the_server(
    open_page: Any, verdict_scale: None
) -> None:
    page = open_page(make_user("editor", "ed"), f"/articles/{ArticleFactory().pk}/")
    results = page.evaluate(
        """async (texts) => {
            const offsets = await import("/static/annotations/offsets.js");
            return texts.map((text) => {
                const toPoints = [];
                for (let u = 0; u <= text.length; u += 1) {
                    toPoints.push([
                        offsets.codePointIndex(text, u, false),
                        offsets.codePointIndex(text, u, true),
                    ]);
                }
                const points = [...text].length;
                const toUnits = [];
                for (let p = 0; p <= points; p += 1) toUnits.push(offsets.utf16Offset(text, p));
                const many = offsets.utf16Offsets(text, [...Array(points + 1).keys()]);
                return { toPoints, toUnits, many: [...many.values()] };
            });
        }""",
        TEXTS,
    )
    for text, result in zip(TEXTS, results, strict=True):
        units = [index_to_utf16_offset(text, i) for i in range(len(text) + 1)]
        assert result["toUnits"] == units, text
        assert result["many"] == units, text
        for unit, (down, up) in enumerate(result["toPoints"]):
            try:
                exact = utf16_offset_to_index(text, unit)
            except ValueError:  # inside a surrogate pair: rounded outwards
                assert up == down + 1, (text, unit)
                assert text[down:up] == text[down] and ord(text[down]) > 0xFFFF
            else:
                assert down == up == exact, (text, unit)


def test_claims_are_cut_into_segments_at_every_boundary(
    open_page: Any, verdict_scale: None
) -> None:
    page = open_page(make_user("editor", "ed"), f"/articles/{ArticleFactory().pk}/")
    cut = page.evaluate(
        """async () => {
            const { segments, innermost } = await import("/static/annotations/highlights.js");
            const claims = [
                { id: 1, start: 0, end: 10 },
                { id: 2, start: 2, end: 4 },
                { id: 3, start: 8, end: 12 },
                { id: 4, start: 2, end: 4 },
            ];
            return segments(12, claims).map((s) => [
                s.start, s.end, s.claims.map((c) => c.id), s.claims.length ? innermost(s.claims).id : null,
            ]);
        }"""
    )
    assert cut == [
        [0, 2, [1], 1],
        [2, 4, [1, 2, 4], 4],  # two claims on the same span: the newer one is on top
        [4, 8, [1], 1],
        [8, 10, [1, 3], 3],
        [10, 12, [3], 3],
    ]


def test_the_server_refuses_utf16_offsets_sent_as_if_they_were_code_points(
    open_page: Any, verdict_scale: None
) -> None:
    from annotations import services
    from annotations.models import Claim

    admin = make_user("admin", "boss")
    body = "Fans 🎉🎉 cheered as the minister said exports rose 40% in 2023.\n"
    article = services.article_import(title="Emoji", body=body, imported_by=admin).article
    page = open_page(make_user("editor", "ed"), f"/articles/{article.pk}/")
    quote = "exports rose 40%"
    # What a page that forgot to convert would send: the browser's UTF-16 offsets.
    answer = page.evaluate(
        """async ([article, quote]) => {
            const body = document.getElementById("article-text").textContent;
            const start = body.indexOf(quote);
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            const response = await fetch("/api/claims/", {
                method: "POST",
                headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                body: JSON.stringify({article, start, end: start + quote.length, quote}),
            });
            return [response.status, await response.json()];
        }""",
        [article.pk, quote],
    )
    assert answer[0] == 400
    assert "quote" in answer[1]["error"]["fields"]
    assert "does not match" in answer[1]["error"]["fields"]["quote"][0]
    assert not Claim.objects.exists()
