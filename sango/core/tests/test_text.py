"""Stored text is cleaned of what nobody types, and nothing a person typed is changed."""

import pytest

from sango.core.text import clean_text


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("総社 花子", "総社 花子"),
        ("\u202e子花 社総", "子花 社総"),  # a right-to-left override shows the name reversed
        ("ハナ\u200bコ\ufeff", "ハナコ"),
        ("中央1-1\x1b[2J", "中央1-1[2J"),  # the escape is gone; the rest is harmless text
        ("一行目\r\n二行目", "一行目 二行目"),
        ("髙﨑 \ufa19", "髙﨑 \ufa19"),  # a name's characters as written (NFC would change 神)
        ("ｶﾞ", "ｶﾞ"),  # half-width kana stay as typed here; the kana fields normalise them
    ],
)
def test_one_line_text(typed: str, stored: str) -> None:
    assert clean_text(typed) == stored


def test_several_lines_keep_their_breaks() -> None:
    assert clean_text("所見\r\n\u2028次の行\t以上", multiline=True) == "所見\n\n次の行 以上"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("総社 花子", "総社 花子"),
        ("\u3000総社\u3000花子 ", "総社\u3000花子"),  # space around one line goes, within stays
        ("\u202e子花 社総", "子花 社総"),
        ("一行目\n二行目", "一行目 二行目"),
        ("タブ\tあり", "タブ あり"),
        ("\u00a0", ""),
    ],
)
def test_a_saved_line_is_cleaned(typed: str, stored: str) -> None:
    """Whatever saves a model (here the ORM's ``save``) stores its text cleaned."""
    from sango.audit.models import AuditEvent

    event = AuditEvent.objects.create(action=typed, target_type="x", target_id=1)
    assert event.action == stored
    assert AuditEvent.objects.get(pk=event.pk).action == stored


@pytest.mark.django_db
def test_saved_lines_of_a_long_text_keep_their_breaks() -> None:
    from sango.core.tests import factories as f

    f.load_programmes()
    application = f.submitted_application(mother=f.mother_with_baby(born=f.days_ago(10)))
    application.rejection_reason = "所見\r\n\u200b次の行\u3000"
    application.save(update_fields=["rejection_reason"])
    application.refresh_from_db()
    assert application.rejection_reason == "所見\n次の行\u3000"


@pytest.mark.parametrize("multiline", [False, True])
def test_text_said_to_be_unchanged_is_unchanged_by_cleaning(multiline: bool) -> None:
    """Saving skips cleaning a text that looks clean: every character of the Basic Multilingual
    Plane, inside a text and at either end, is looked at by that check whenever cleaning would
    change the text."""
    from sango.core.text import _may_change

    missed = [
        hex(code)
        for code in range(0x10000)
        if not 0xD800 <= code <= 0xDFFF
        for value in (f"a{chr(code)}b", f"{chr(code)}a", f"a{chr(code)}")
        if clean_text(value, multiline=multiline) != value and not _may_change(value, multiline)
    ]
    assert missed == []
