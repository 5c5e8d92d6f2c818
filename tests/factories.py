"""factory_boy factories with realistic data: articles with real sentences, claims whose
selectors are cut from the article body exactly as the services would."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from annotations import services
from annotations.models import Article, Claim, RevisionKind, Verdict
from annotations.roles import Role
from annotations.services.articles import first_revision
from annotations.services.search import search_index_article

ARTICLE_BODY = (
    "The city council approved a budget of 4.2 million euros on Tuesday.\n"
    "The mayor said unemployment had fallen by half since 2020.\n"
    "Critics noted that the figures came from a report nobody has published.\n"
)

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def role(self, create: bool, extracted: Role | None, **kwargs: object) -> None:
        self.save()
        if extracted is not None:
            services.user_set_role(user=self, role=extracted)


def make_user(role: Role | str | None, username: str | None = None):  # type: ignore[no-untyped-def]
    kwargs = {"role": Role(role) if role else None}
    if username:
        kwargs["username"] = username
    return UserFactory(**kwargs)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Council approves budget, part {n}")
    body = factory.Sequence(lambda n: f"{ARTICLE_BODY}Article number {n}.\n")
    publisher = "Example Gazette"
    byline = "A. Reporter"
    language = "en"
    source_url = factory.Sequence(lambda n: f"https://news.example.org/articles/{n}")
    body_sha256 = factory.LazyAttribute(lambda o: services.body_digest(o.body))

    @factory.post_generation
    def revision(self, create: bool, extracted: object, **kwargs: object) -> None:
        """Its text as revision 1, as every import records it."""
        if create:
            first_revision(self, kind=RevisionKind.FILE)

    @factory.post_generation
    def search_index(self, create: bool, extracted: object, **kwargs: object) -> None:
        # Stored without the import service, so indexed for search as the service would.
        if create:
            search_index_article(self)


def verdict(slug: str = "false") -> Verdict:
    return Verdict.objects.get(slug=slug)


def seed_scale() -> None:
    """The verdict the factories use. Transactional tests start from a flushed database,
    which has lost the scale the data migration seeded."""
    Verdict.objects.get_or_create(slug="false", defaults={"label": "False", "rating": 1})


def make_claim(
    *,
    author,  # type: ignore[no-untyped-def]
    article: Article | None = None,
    quote: str = "unemployment had fallen by half since 2020",
    status: str = "draft",
    reviewer=None,  # type: ignore[no-untyped-def]
    **fields: object,
) -> Claim:
    """A claim created through the services and moved to `status` the way people would."""
    article = article or ArticleFactory()
    start = article.body.index(quote)
    fields.setdefault("claimant", "The mayor")
    fields.setdefault("verdict", verdict())
    fields.setdefault("rationale", "Official statistics show a 12% fall, not 50%.")
    fields.setdefault(
        "sources",
        [
            {
                "url": "https://stats.example.org/unemployment",
                "title": "Labour survey",
                "kind": "dataset",
            }
        ],
    )
    claim = services.claim_create(
        author=author,
        article=article,
        start=start,
        end=start + len(quote),
        **fields,  # type: ignore[arg-type]
    )
    if status == "draft":
        return claim
    claim = services.claim_transition(
        claim_id=claim.pk, actor=author, action="submit", version=claim.version
    )
    if status == "submitted":
        return claim
    reviewer = reviewer or make_user(Role.REVIEWER)
    if status in ("approved", "rejected", "changes_requested", "retracted"):
        action = {
            "approved": "approve",
            "rejected": "reject",
            "changes_requested": "request_changes",
            "retracted": "approve",
        }[status]
        claim = services.claim_transition(
            claim_id=claim.pk,
            actor=reviewer,
            action=action,
            version=claim.version,
            comment="Checked.",
        )
        if status != "retracted":
            return claim
        return services.claim_transition(
            claim_id=claim.pk,
            actor=make_user(Role.ADMIN),
            action="retract",
            version=claim.version,
            comment="The survey it relied on was withdrawn by its publisher.",
        )
    raise ValueError(f"unknown status {status}")
