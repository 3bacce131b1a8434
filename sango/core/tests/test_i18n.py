"""Translation catalogues: complete, and compilable without GNU gettext."""

import gettext
from pathlib import Path

import polib
from django.conf import settings

from sango.core.i18n_compile import compile_catalog, find_catalogs, main

ENGLISH_PO = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalog_is_complete():
    catalog = polib.pofile(str(ENGLISH_PO))

    assert catalog.untranslated_entries() == []
    assert catalog.fuzzy_entries() == []
    assert catalog.percent_translated() == 100


def test_compile_catalog_writes_a_mo_file_gettext_can_read(tmp_path):
    po_path = tmp_path / "en" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalog.append(polib.POEntry(msgid="産婦の方へ", msgstr="For mothers"))
    catalog.append(polib.POEntry(msgid="未訳", msgstr=""))
    catalog.append(polib.POEntry(msgid="要確認", msgstr="To check", flags=["fuzzy"]))
    catalog.save(str(po_path))

    mo_path = compile_catalog(po_path)

    with mo_path.open("rb") as mo_file:
        translations = gettext.GNUTranslations(mo_file)
    assert translations.gettext("産婦の方へ") == "For mothers"
    # Like msgfmt: untranslated and fuzzy entries fall back to the source text.
    assert translations.gettext("未訳") == "未訳"
    assert translations.gettext("要確認") == "要確認"


def test_find_catalogs_and_main(tmp_path, capsys):
    assert main([str(tmp_path)]) == 1

    po_path = tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    polib.POFile().save(str(po_path))

    assert find_catalogs([tmp_path]) == [po_path]
    assert main([str(tmp_path)]) == 0
    assert po_path.with_suffix(".mo").exists()
    assert "Compiled" in capsys.readouterr().out
