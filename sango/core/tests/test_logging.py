"""Personal data is redacted from log output, whatever form it arrives in."""

import io
import logging

import pytest
from django.conf import settings

from sango.core.logging import REDACTED, PersonalDataFilter, redact


@pytest.fixture
def capture() -> tuple[logging.Logger, io.StringIO]:
    """A logger whose only handler writes to a string through PersonalDataFilter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(PersonalDataFilter())
    logger = logging.getLogger("sango.tests.personal_data")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    yield logger, stream
    logger.handlers = []


def test_phone_and_email_in_message_and_args_are_redacted(capture):
    logger, stream = capture

    logger.warning("Call %s or write to %s", "090-1234-5678", "hanako.sango@example.jp")

    output = stream.getvalue()
    assert output == f"WARNING Call {REDACTED} or write to {REDACTED}\n"
    assert "5678" not in output
    assert "example.jp" not in output


def test_personal_data_inside_dict_args_is_redacted(capture):
    logger, stream = capture

    logger.info("application %(data)s", {"data": {"tel": "0866-92-8200", "zip": "〒719-1192"}})

    output = stream.getvalue()
    assert "8200" not in output
    assert "1192" not in output
    assert output.count(REDACTED) == 2


def test_exception_text_is_redacted(capture):
    logger, stream = capture

    try:
        raise ValueError("bad birth date 2025-11-03 for tel 09012345678")
    except ValueError:
        logger.exception("Import failed")

    output = stream.getvalue()
    assert "Traceback" in output
    assert "2025-11-03" not in output
    assert "09012345678" not in output


@pytest.mark.parametrize(
    "text",
    [
        "090-1234-5678",
        "09012345678",
        "03-1234-5678",
        "0866-92-8200",
        "03(1234)5678",
        "+81 90-1234-5678",
        "０９０－１２３４－５６７８",
        "〒700-0012",
        "〒7000012",
        "700-0012",
        "mother+tag@mail.example.co.jp",
        "1990-04-01",
        "1990/4/1",
        "1990年4月1日",
    ],
)
def test_redact_removes_each_form_entirely(text):
    assert redact(f"値: {text} 。") == f"値: {REDACTED} 。"


@pytest.mark.parametrize(
    "text",
    [
        "municipality 332089",  # 全国地方公共団体コード is not personal data
        "application 12345 approved",
        "3 nights, 2 days, 6000 yen",
    ],
)
def test_redact_keeps_ordinary_numbers(text):
    assert redact(text) == text


def test_every_configured_handler_carries_the_filter():
    handlers = settings.LOGGING["handlers"]
    assert handlers
    for name, handler in handlers.items():
        assert "personal_data" in handler.get("filters", []), name
    assert settings.LOGGING["filters"]["personal_data"]["()"] == (
        "sango.core.logging.PersonalDataFilter"
    )


def test_django_loggers_propagate_to_the_filtered_root_handler():
    root_filters = [f for h in logging.getLogger().handlers for f in h.filters]
    assert any(isinstance(f, PersonalDataFilter) for f in root_filters)
    for name in ("django", "django.request", "django.server"):
        logger = logging.getLogger(name)
        assert all(
            any(isinstance(f, PersonalDataFilter) for f in h.filters) for h in logger.handlers
        ), name
