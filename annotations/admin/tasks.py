"""The background task queue (django-tasks' database backend): what was sent, what failed and
why, read-only, under the same rule as every list here (only the declared filters)."""

from __future__ import annotations

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from annotations.admin.base import DeclaredFiltersOnly

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DeclaredFiltersOnly, DBTaskResultAdmin):
    """Queued, running, finished and failed tasks (notification e-mails, matching new articles), with the error of
    a failed one; the admin role may look (roles.GROUP_PERMISSIONS)."""
