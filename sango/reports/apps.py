from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports for municipal staff: exports (applications, uses, facility claims as CSV and XLSX),
    the statistics of a fiscal year (実績), its budget, and the subsidy claim report (交付金)."""

    name = "sango.reports"
    verbose_name = "帳票の出力"
