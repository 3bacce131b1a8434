from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Exports for municipal staff: applications, uses and facility claims as CSV and XLSX."""

    name = "sango.reports"
    verbose_name = "帳票の出力"
