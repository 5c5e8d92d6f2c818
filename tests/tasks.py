"""Background tasks in the tests: run for real, on the database backend of the settings.

`run_tasks()` runs every task waiting in the queue with the worker of `manage.py db_worker`
(django_tasks_db), in this process and this test's transaction: each task is taken from the
database, marked running, called, and its result (or failure) stored, as the worker does. It
leaves out only the worker's connection housekeeping, which would close the connection a
test's transaction lives on. A test that commits (transaction=True) can run the command
itself, `call_command("db_worker", batch=True, ...)`; tests/test_tasks.py does.
"""

from __future__ import annotations

from django.db import transaction
from django_tasks import task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from annotations.models import Article


def run_tasks(backend: str = "default") -> int:
    """Run the tasks waiting in `backend`'s queues until none is left (tasks that enqueue
    more are run too); return how many ran. A task that fails is recorded as failed, as by
    the worker: look at its result (task_result.refresh(); .status, .errors)."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend,
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        with transaction.atomic():
            waiting = DBTaskResult.objects.ready().filter(backend_name=backend)
            task_result = waiting.get_locked()
            if task_result is None:
                return ran
            task_result.claim(worker.worker_id)
        worker.run_task(task_result)
        ran += 1


# A task for the tests of the machinery itself, with an effect a test can see.
@task()
def retitle_article(article_id: int, title: str) -> str:
    Article.objects.filter(pk=article_id).update(title=title)
    return title


@task()
def fail_loudly(message: str) -> None:
    raise ValueError(message)
