from sango.notifications.tests.fixtures import run_tasks  # noqa: F401
