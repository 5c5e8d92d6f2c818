from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.importers import ArticleFileError, parse_file
from annotations.models import Article

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SHARED_SEED = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "seeds" / "000_d157ccb9017dd866.txt"
)

HTML_PAGE = """<!doctype html>
<html lang="fr"><head>
<title>Le conseil vote le budget | Gazette</title>
<meta property="og:title" content="Le conseil vote le budget">
<meta property="og:site_name" content="La Gazette">
<meta name="author" content="Jeanne Martin">
<meta property="article:published_time" content="2026-03-04T09:00:00Z">
<link rel="canonical" href="https://gazette.example.fr/budget">
</head><body>
<nav>Accueil | Politique | Sport</nav>
<article><h1>Le conseil vote le budget</h1>
<p>Le conseil municipal a adopté mardi un budget de 4,2 millions d'euros, en hausse de dix pour cent.</p>
<p>Le maire affirme que le chômage a baissé de moitié depuis 2020, un chiffre contesté par l'opposition.</p>
<p>Selon l'Insee, la baisse réelle serait plutôt de douze pour cent sur la période considérée.</p>
<script>alert('never stored')</script>
</article>
<footer>Mentions légales</footer>
</body></html>
"""


def run_import(*paths: Path) -> tuple[str, str, int]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", *map(str, paths), stdout=out, stderr=err)
        code = 0
    except CommandError:
        code = 1
    return out.getvalue(), err.getvalue(), code


def test_seed_article_is_imported_with_its_text_unchanged():
    out, err, code = run_import(SEEDS)
    assert code == 0, err
    article = Article.objects.get()
    assert article.title == "Russia and France resume diplomatic contacts at a technical level"
    assert str(article.published_on) == "2026-02-10"
    assert article.language == "en"
    assert article.body.startswith("Russia and France have resumed diplomatic contacts")
    assert "\r" not in article.body
    if SHARED_SEED.exists():
        assert article.body == SHARED_SEED.read_text(encoding="utf-8")


def test_importing_the_same_content_twice_changes_nothing():
    run_import(SEEDS)
    out, err, code = run_import(SEEDS)
    assert code == 0
    assert "unchanged" in out and "already article #" in out
    assert Article.objects.count() == 1


def test_plain_text_with_front_matter_and_crlf(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(
        b"---\r\ntitle: Budget vote\r\nsource_url: https://n.example/1\r\npublisher: Gazette\r\n"
        b"byline: J. Doe\r\npublished_on: 2026-01-02\r\nlanguage: en\r\n---\r\nLine one.\r\nLine two.\r\n"
    )
    _, err, code = run_import(path)
    assert code == 0, err
    article = Article.objects.get()
    assert article.body == "Line one.\nLine two.\n"
    assert (article.title, article.source_url, article.publisher, article.byline) == (
        "Budget vote",
        "https://n.example/1",
        "Gazette",
        "J. Doe",
    )
    assert article.source_file == "a.txt"


def test_plain_text_without_front_matter_takes_title_from_first_line(tmp_path):
    path = tmp_path / "b.txt"
    path.write_text("Москва и Париж восстановили контакты.\nВторая строка.", encoding="utf-8")
    run_import(path)
    article = Article.objects.get()
    assert article.title == "Москва и Париж восстановили контакты."
    assert article.body == "Москва и Париж восстановили контакты.\nВторая строка."


def test_markdown_is_reduced_to_the_text_a_reader_sees(tmp_path):
    path = tmp_path / "c.md"
    path.write_text(
        "# Budget approved\n\nThe council **approved** a [budget](https://x.example/) of 4.2m.\n\n"
        "- It rose by *ten* percent.\n",
        encoding="utf-8",
    )
    _, err, code = run_import(path)
    assert code == 0, err
    article = Article.objects.get()
    assert article.title == "Budget approved"
    assert "The council approved a budget of 4.2m." in article.body
    assert "**" not in article.body and "[" not in article.body
    assert "It rose by ten percent." in article.body


def test_html_article_text_and_page_metadata(tmp_path):
    path = tmp_path / "d.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    _, err, code = run_import(path)
    assert code == 0, err
    article = Article.objects.get()
    assert "budget de 4,2 millions d'euros" in article.body
    assert "chômage a baissé de moitié" in article.body
    assert "alert(" not in article.body and "Mentions légales" not in article.body
    assert "<" not in article.body
    assert article.title == "Le conseil vote le budget"
    assert article.source_url == "https://gazette.example.fr/budget"
    assert article.publisher == "La Gazette"
    assert article.byline == "Jeanne Martin"
    assert str(article.published_on) == "2026-03-04"
    assert article.language == "fr"


def test_json_single_and_list(tmp_path):
    one = tmp_path / "e.json"
    one.write_text(
        json.dumps({"title": "One", "body": "First body.", "published_on": "2026-05-06"})
    )
    many = tmp_path / "f.json"
    many.write_text(
        json.dumps([{"title": "Two", "body": "Second."}, {"title": "Three", "body": "Third."}])
    )
    _, err, code = run_import(one, many)
    assert code == 0, err
    assert sorted(Article.objects.values_list("title", flat=True)) == ["One", "Three", "Two"]


BAD_FILES = {
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"  \n\n ", "empty"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    "latin1.txt": ("Caf\xe9 cr\xe8me".encode("latin-1"), "not valid UTF-8"),
    "unclosed.md": (b"---\ntitle: x\nno closing line\n", "no closing '---'"),
    "badyaml.txt": (b"---\ntitle: [unclosed\n---\nBody.\n", "malformed front matter"),
    "listyaml.txt": (b"---\n- a\n- b\n---\nBody.\n", "expected 'key: value'"),
    "unknownmeta.txt": (b"---\ncolour: red\n---\nBody.\n", "unknown front-matter field"),
    "baddate.txt": (b"---\npublished_on: next tuesday\n---\nBody.\n", "YYYY-MM-DD"),
    "badurl.txt": (b"---\nsource_url: javascript:alert(1)\n---\nBody.\n", "source_url"),
    "broken.json": (b'{"title": "x", "body": ', "malformed JSON"),
    "nobody.json": (b'{"title": "x"}', "'body' must be a non-empty string"),
    "extra.json": (b'{"body": "x", "status": "approved"}', "unknown field(s): status"),
    "scalar.json": (b"[1, 2]", "expected a JSON object"),
    "empty-list.json": (b"[]", "holds no article"),
    "nothing.html": (
        b"<html><head><title>Menu</title></head><body><div></div></body></html>",
        "no article text",
    ),
    "nul.json": (b'{"body": "a\\u0000b"}', "NUL"),
    "page.pdf": (b"%PDF-1.4", "unsupported file type"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_reported_with_its_path_and_reason_and_stores_nothing(tmp_path, name):
    content, reason = BAD_FILES[name]
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("A perfectly fine article.", encoding="utf-8")
    out, err, code = run_import(bad, good)
    assert code == 1
    assert f"error: {bad}:" in err
    assert reason in err
    assert list(Article.objects.values_list("title", flat=True)) == ["A perfectly fine article."]


def test_oversized_file_is_refused(tmp_path, settings):
    settings.FACTCHECK_MAX_IMPORT_BYTES = 1000
    big = tmp_path / "big.txt"
    big.write_text("word " * 400, encoding="utf-8")
    _, err, code = run_import(big)
    assert code == 1 and "the limit is 1,000 bytes" in err
    assert not Article.objects.exists()


def test_default_size_limit_is_five_megabytes(settings):
    assert settings.FACTCHECK_MAX_IMPORT_BYTES == 5 * 1024 * 1024


def test_a_json_list_with_one_bad_article_stores_none_of_them(tmp_path):
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([{"body": "Fine."}, {"body": "Fine too.", "source_url": "ftp://x"}]))
    _, err, code = run_import(path)
    assert code == 1 and "source_url" in err
    assert not Article.objects.exists()


def test_changed_text_from_the_same_source_is_its_next_revision(tmp_path):
    first = tmp_path / "v1.json"
    first.write_text(json.dumps({"body": "Version one.", "source_url": "https://n.example/a"}))
    second = tmp_path / "v2.json"
    second.write_text(json.dumps({"body": "Version two.", "source_url": "https://n.example/a"}))
    run_import(first)
    out, err, code = run_import(second)
    article = Article.objects.get()
    assert code == 0, err
    assert f"revised: {second} -> article #{article.pk}, revision 2" in out
    assert article.body == "Version two."
    assert list(article.revisions.values_list("number", "kind", "body")) == [
        (1, "file", "Version one."),
        (2, "file", "Version two."),
    ]
    out, _, _ = run_import(second)
    assert f"unchanged: {second} is already article #{article.pk}" in out
    assert article.revisions.count() == 2


def test_a_changed_file_is_its_next_revision(tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("The council met on Tuesday.\n")
    run_import(note)
    note.write_text("The council met on Wednesday.\n")
    out, err, code = run_import(note)
    article = Article.objects.get()
    assert code == 0, err
    assert article.body == "The council met on Wednesday.\n"
    assert article.revisions.count() == 2


def test_articles_of_one_file_are_never_revisions_of_each_other(tmp_path):
    both = tmp_path / "both.json"
    both.write_text(json.dumps([{"body": "First text."}]))
    run_import(both)
    both.write_text(json.dumps([{"body": "Second text."}, {"body": "Third text."}]))
    run_import(both)
    assert Article.objects.count() == 3


def test_missing_path_is_an_error(tmp_path):
    _, err, code = run_import(tmp_path / "nope.txt")
    assert code == 1 and "no such file" in err


def test_parse_file_rejects_unsupported_suffix(tmp_path):
    path = tmp_path / "x.docx"
    path.write_bytes(b"PK")
    with pytest.raises(ArticleFileError, match="unsupported"):
        parse_file(path)


# --- Front matter a person wrote, and headlines an extractor repeats ------------------------


@pytest.mark.parametrize(
    ("front_matter", "line", "advice"),
    [
        (
            "title: Fact check: the numbers\n",
            2,
            'as in: title: "Fact check: the numbers"',
        ),
        (
            "language: ru\npublisher: Газета\ntitle: Проверка фактов: цифры 📊\n",
            4,
            'as in: title: "Проверка фактов: цифры 📊"',
        ),
    ],
)
def test_an_unquoted_colon_in_front_matter_is_refused_with_its_line_and_the_quoted_form(
    tmp_path, front_matter, line, advice
):
    path = tmp_path / "colon.md"
    path.write_text(f"---\n{front_matter}---\nТекст статьи.\n", encoding="utf-8")
    _, err, code = run_import(path)
    assert code == 1
    assert f"malformed front matter, line {line}: mapping values are not allowed here" in err
    assert 'a value holding ": " must be put in quotes, ' + advice in err
    assert not Article.objects.exists()


def test_the_quoted_form_the_hint_gives_imports(tmp_path):
    path = tmp_path / "quoted.md"
    path.write_text(
        '---\ntitle: "Проверка фактов: цифры 📊"\n---\nТекст статьи.\n', encoding="utf-8"
    )
    _, err, code = run_import(path)
    assert code == 0, err
    assert Article.objects.get().title == "Проверка фактов: цифры 📊"


@pytest.mark.parametrize(
    ("value", "stored"),
    [("yes", "yes"), ("no", "no"), ("1.10", "1.10"), ("2024-05-01", "2024-05-01"), ("~", "~")],
)
def test_front_matter_values_are_read_as_written(tmp_path, value, stored):
    path = tmp_path / "typed.md"
    path.write_text(f"---\ntitle: {value}\npublished_on: 2024-05-01\n---\nBody.\n", "utf-8")
    _, err, code = run_import(path)
    assert code == 0, err
    article = Article.objects.get()
    assert article.title == stored
    assert article.published_on.isoformat() == "2024-05-01"


@pytest.mark.parametrize(
    ("line", "advice"),
    [
        ("title: We're #1 again", 'as in: title: "We\'re #1 again"'),
        ("publisher: Газета #5 🗞", 'as in: publisher: "Газета #5 🗞"'),
    ],
)
def test_an_unquoted_value_a_comment_would_cut_is_refused_with_the_quoted_form(
    tmp_path, line, advice
):
    path = tmp_path / "hash.md"
    path.write_text(f"---\nlanguage: en\n{line}\n---\nBody.\n", encoding="utf-8")
    _, err, code = run_import(path)
    assert code == 1
    assert 'malformed front matter, line 3: " #" starts a YAML comment' in err
    assert advice in err
    assert not Article.objects.exists()


def test_a_quoted_value_keeps_its_hash(tmp_path):
    path = tmp_path / "hash.md"
    path.write_text('---\ntitle: "We\'re #1 again"\n---\nBody.\n', encoding="utf-8")
    _, err, code = run_import(path)
    assert code == 0, err
    assert Article.objects.get().title == "We're #1 again"


def test_other_front_matter_errors_name_their_line_in_the_file(tmp_path):
    path = tmp_path / "flow.txt"
    path.write_text("---\nlanguage: en\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    _, err, code = run_import(path)
    assert code == 1
    assert "malformed front matter, line 3:" in err
    assert "must be put in quotes" not in err


def test_html_body_does_not_repeat_the_headline_as_its_first_line(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    _, err, code = run_import(path)
    assert code == 0, err
    article = Article.objects.get()
    assert article.title == "Le conseil vote le budget"
    assert article.body.startswith("Le conseil municipal a adopté mardi un budget")
    assert article.body.count("Le conseil vote le budget") == 0


RUSSIAN_PAGE = """<!doctype html>
<html lang="ru"><head>
<meta property="og:title" content="Совет  утвердил   бюджет">
<meta property="og:site_name" content="Городская газета">
</head><body>
<article><h1>Совет утвердил бюджет</h1>
<p>Городской совет во вторник утвердил бюджет в размере 4,2 миллиона евро, что на десять процентов больше.</p>
<p>Мэр заявил, что безработица сократилась вдвое с 2020 года; оппозиция оспаривает эту цифру. 📉</p>
<p>По данным статистического ведомства, реальное снижение составило около двенадцати процентов.</p>
</article></body></html>
"""


def test_html_headline_is_dropped_when_it_differs_from_the_title_only_in_white_space(tmp_path):
    path = tmp_path / "ru.html"
    path.write_text(RUSSIAN_PAGE, encoding="utf-8")
    _, err, code = run_import(path)
    assert code == 0, err
    article = Article.objects.get()
    assert article.body.startswith("Городской совет во вторник утвердил бюджет")
    assert "📉" in article.body
    assert article.language == "ru"


def test_html_first_line_that_is_not_the_headline_is_kept(tmp_path):
    path = tmp_path / "other.html"
    path.write_text(
        HTML_PAGE.replace("<h1>Le conseil vote le budget</h1>", "<h1>Budget : le vote</h1>"),
        encoding="utf-8",
    )
    _, err, code = run_import(path)
    assert code == 0, err
    assert Article.objects.get().body.startswith("Budget : le vote\n")


@pytest.mark.parametrize(
    "source",
    [
        "".join("    " * level + "- item\n" for level in range(600)),
        ">" * 5000 + " quoted\n",
        "".join("\t" * level + "> - item\n" for level in range(300)),
    ],
)
def test_markdown_nested_past_any_article_is_refused_and_the_batch_goes_on(tmp_path, source):
    (tmp_path / "a-deep.md").write_text("# Deep\n\n" + source, encoding="utf-8")
    (tmp_path / "b-good.md").write_text("# Good\n\nA sentence.\n", encoding="utf-8")
    _, err, code = run_import(tmp_path)
    assert code == 1
    assert "nested more than 40 levels deep" in err
    assert list(Article.objects.values_list("title", flat=True)) == ["Good"]


def test_markdown_with_ordinary_nesting_imports(tmp_path):
    source = "# Nested\n\n- one\n    - two\n        - three\n\n> quoted\n> > twice\n"
    (tmp_path / "nested.md").write_text(source, encoding="utf-8")
    _, err, code = run_import(tmp_path / "nested.md")
    assert code == 0, err
    assert "three" in Article.objects.get().body
