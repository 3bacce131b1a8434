"""``run_tasks``: tasks run at once in the test process, as their transaction commits — wrap the
code that queues them in ``with run_tasks():``. The site queues tasks in the database for
``sango db_worker``; tests of what a task does need not start one (one test does)."""

from __future__ import annotations

import pytest

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def run_tasks(settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    return lambda: django_capture_on_commit_callbacks(execute=True)
