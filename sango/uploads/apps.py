from django.apps import AppConfig


class UploadsConfig(AppConfig):
    """Files a mother hands in online (photos of the 世帯調書, certificates, receipts, the
    letter of attorney): kept in private storage, seen only by her and her municipality."""

    name = "sango.uploads"
    verbose_name = "提出書類"
