"""Background tasks: the settings' database backend queues them in the database, and the
worker of `manage.py db_worker` runs them, in the tests as in `make run`."""

from __future__ import annotations

import runpy
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from annotations.models import Article
from tests.factories import ArticleFactory
from tests.tasks import fail_loudly, retitle_article

SETTINGS = Path(__file__).resolve().parent.parent / "factcheck" / "settings.py"


def test_the_default_backend_is_the_database() -> None:
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert isinstance(task_backends["default"], DatabaseBackend)


@pytest.mark.django_db
def test_an_enqueued_task_waits_in_the_database_until_a_worker_runs_it(run_tasks):
    article = ArticleFactory(title="Before")
    result = retitle_article.enqueue(article.pk, "After")

    assert DBTaskResult.objects.filter(pk=result.id, status=TaskResultStatus.READY).exists()
    assert Article.objects.get(pk=article.pk).title == "Before"

    assert run_tasks() == 1
    assert Article.objects.get(pk=article.pk).title == "After"
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "After"
    assert run_tasks() == 0


@pytest.mark.django_db
def test_a_task_enqueued_in_a_transaction_that_rolls_back_is_never_run(run_tasks):
    article = ArticleFactory(title="Before")
    with pytest.raises(RuntimeError), transaction.atomic():
        retitle_article.enqueue(article.pk, "After")
        raise RuntimeError("the write that enqueued it failed")

    assert run_tasks() == 0
    assert Article.objects.get(pk=article.pk).title == "Before"


@pytest.mark.django_db
def test_a_failing_task_is_recorded_failed_with_its_error_and_the_worker_goes_on(run_tasks):
    article = ArticleFactory(title="Before")
    failing = fail_loudly.enqueue("no such claim")
    retitle_article.enqueue(article.pk, "After")

    assert run_tasks() == 2
    failing.refresh()
    assert failing.status == TaskResultStatus.FAILED
    assert failing.errors[-1].exception_class is ValueError
    assert "no such claim" in failing.errors[-1].traceback
    assert Article.objects.get(pk=article.pk).title == "After"


@pytest.mark.django_db(transaction=True)
def test_the_db_worker_command_in_batch_mode_runs_what_is_waiting_and_exits():
    article = ArticleFactory(title="Before")
    result = retitle_article.enqueue(article.pk, "After")

    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, interval=0, stdout=StringIO()
    )

    assert Article.objects.get(pk=article.pk).title == "After"
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL


def test_task_backend_is_chosen_by_the_environment_and_a_wrong_one_stops_start_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    monkeypatch.setenv("SECRET_KEY", "tests-only-not-a-secret")
    monkeypatch.setenv("HTTPS", "0")
    monkeypatch.setenv("TASK_BACKEND", "Immediate")
    loaded = runpy.run_path(str(SETTINGS))
    assert loaded["TASKS"]["default"]["BACKEND"] == (
        "django_tasks.backends.immediate.ImmediateBackend"
    )

    monkeypatch.setenv("TASK_BACKEND", "celery")
    with pytest.raises(ImproperlyConfigured, match=r"TASK_BACKEND='celery' is not one of"):
        runpy.run_path(str(SETTINGS))
