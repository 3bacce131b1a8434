"""The ``sango`` command: Django's management utility with Sango's settings preselected."""

import os
import sys


def main() -> None:
    """Run a Django management command from ``sys.argv``.

    Uses the development settings unless ``DJANGO_SETTINGS_MODULE`` is already set, so that
    ``sango migrate`` and ``sango runserver`` work on a fresh checkout.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sango.config.settings.dev")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    # Sango's own commands are spelt with hyphens on the command line (check-programme);
    # Django finds commands by module name, which uses underscores.
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
