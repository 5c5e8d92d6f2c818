"""Background task results (django-tasks-db's records): what ran, when, and why a task failed.
Read-only, as the library has them; superusers only, since a task's arguments may name any
claim."""

from __future__ import annotations

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from annotations.admin.base import DeclaredFiltersOnly

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DeclaredFiltersOnly, DBTaskResultAdmin):
    """The library's list, filtered by its declared filters alone (base.DeclaredFiltersOnly)."""
