"""The production access log holds no query string: what a visitor typed never reaches it."""

from __future__ import annotations

import datetime
import logging
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger

from sango.config import gunicorn as settings


def _access_line(path: str, query: str) -> str:
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", settings.access_log_format)
    logger = Logger(config)
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logger.access_log.handlers = [handler]
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?{query}",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_REFERER": f"https://example.jp{path}?{query}",
    }
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[], response_length=1234)
    request = SimpleNamespace(headers=[], method="GET", path=path, query=query)
    logger.access(response, request, environ, datetime.timedelta(milliseconds=12))
    return lines[0]


def test_the_access_line_has_the_path_but_no_query_or_referrer() -> None:
    line = _access_line("/programmes/332089/quote/", "birth_date=2026-03-01&tier=welfare")
    assert '"GET /programmes/332089/quote/ HTTP/1.1" 200 1234' in line
    assert "2026-03-01" not in line and "welfare" not in line and "?" not in line


def test_the_format_names_no_field_that_holds_a_query() -> None:
    # %(r)s is the request line with its query, %(q)s the query, %(f)s the referrer.
    for field in ("%(r)s", "%(q)s", "%(f)s", "%(a)s"):
        assert field not in settings.access_log_format
    assert "%(U)s" in settings.access_log_format
