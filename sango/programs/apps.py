from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    """Municipalities' programmes: documents on disk, their revisions, pages and commands."""

    name = "sango.programs"
    verbose_name = "産後ケア事業の制度"

    def ready(self) -> None:
        from sango.programs import checks  # noqa: F401  (registers the system check)
