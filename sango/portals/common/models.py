"""The once-only submission guard: a form carries a one-time token, and the first request that
spends it wins, so a double-clicked submit or a resent form saves once (``once.py``)."""

from django.conf import settings
from django.db import models


class Submission(models.Model):
    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Where the first submission led; a repeat is sent there too.
    redirect_to = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return self.token
