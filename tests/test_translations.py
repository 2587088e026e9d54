"""Every text a person sees is translated to nynorsk and bokmål, and the compiled catalogs are current."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "survey_app" / "translations"


def catalog_ids(catalog):
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


@pytest.mark.parametrize("lang", ["nn", "nb"])
def test_every_message_is_translated(lang):
    template = read_po((TRANSLATIONS / "messages.pot").open("rb"))
    catalog = read_po((TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb"))
    assert catalog_ids(template) <= catalog_ids(catalog)
    untranslated = [m.id for m in catalog if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    assert untranslated == []
    assert not any(m.fuzzy for m in catalog if m.id)


@pytest.mark.parametrize("lang", ["nn", "nb"])
def test_compiled_catalog_matches_the_po_file(lang):
    folder = TRANSLATIONS / lang / "LC_MESSAGES"
    def flat(value):
        return tuple(value) if isinstance(value, (list, tuple)) else (value,)

    def entries(catalog):
        return {flat(m.id): flat(m.string) for m in catalog if m.id}
    po = entries(read_po((folder / "messages.po").open("rb")))
    mo = entries(read_mo((folder / "messages.mo").open("rb")))
    assert po == mo, "run `make translations`"


def test_source_strings_are_all_extracted():
    """A string added to a template but not to the catalog would show in English to everyone."""
    import subprocess
    import sys
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "fresh.pot"
        pybabel = Path(sys.executable).with_name("pybabel")
        subprocess.run([str(pybabel), "-q", "extract", "-F", "babel.cfg", "-k", "_", "-k", "_l", "-k", "gettext", "-k", "lazy_gettext",
                        "-k", "ngettext:1,2", "--no-location", "--omit-header", "-o", str(out), "."],
                       check=True, cwd=TRANSLATIONS.parent.parent)
        fresh = catalog_ids(read_po(out.open("rb")))
    shipped = catalog_ids(read_po((TRANSLATIONS / "messages.pot").open("rb")))
    assert fresh == shipped, f"new: {fresh - shipped}, gone: {shipped - fresh}"
