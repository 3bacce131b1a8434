"""The API's content negotiation: DRF's, with its answer remembered.

DRF parses every media type of the ``Accept`` header and of each renderer on every request,
which costs a recorded use more than its permission check and throttling together — for what
is nearly always one of a few headers. The renderer and media type DRF chooses depend only on
the renderers, the format asked for (``?format=`` or a suffix) and the header, so its answer
is kept for each of those (a bounded number of them, an unusual header being the client's
choice). A header DRF would truncate is not kept. What DRF refuses (406, or 404 for an unknown
format) is refused again on every request, as DRF does.
"""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation

_KEPT_HEADER = 256  # characters: longer headers are negotiated afresh


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self, request: Any, renderers: list[Any], format_suffix: str | None = None
    ) -> tuple[Any, str]:
        format = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        accept = request.META.get("HTTP_ACCEPT")
        if accept is not None and len(accept) > _KEPT_HEADER:
            return super().select_renderer(request, renderers, format_suffix)
        index, media_type = _chosen(tuple(type(r) for r in renderers), format, accept)
        return renderers[index], media_type


@lru_cache(maxsize=128)
def _chosen(kinds: tuple[type, ...], format: str | None, accept: str | None) -> tuple[int, str]:
    """DRF's choice among renderers of ``kinds`` for ``format`` and ``accept``: the chosen
    renderer's index and the media type accepted."""
    made = [kind() for kind in kinds]
    headers = {} if accept is None else {"accept": accept}
    asked = SimpleNamespace(query_params={}, headers=headers)
    renderer, media_type = DefaultContentNegotiation().select_renderer(
        asked, made, format_suffix=format
    )
    return made.index(renderer), media_type
