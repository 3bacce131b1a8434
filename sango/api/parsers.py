"""The API's JSON parser: orjson, which refuses nesting deeper than 1,024 levels with a parse
error instead of running Python's recursion out (``[`` × 10,000 used to end in a traceback)."""

from __future__ import annotations

from typing import Any

import orjson
from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser


class JSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(body) > limit:
            raise ParseError("リクエストが大きすぎます。")
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError as error:
            raise ParseError("JSONとして読めません。") from error
