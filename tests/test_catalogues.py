"""The translation catalogues match the source: no obsolete entries, nothing missing or
untranslated in zh_Hans.

The catalogues are made again from a copy of the tree by the command ``./scripts/messages``
runs (``updatecatalogues``: makemessages ``--no-obsolete`` per app and for the project),
and compared with the committed ones. When this fails, run ``./scripts/messages`` and
translate the new zh_Hans entries.
"""

import io
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from gongchuang.common.management.commands.updatecatalogues import LANGUAGE

pytestmark = pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")

ROOT = Path(settings.BASE_DIR)
HINT = "run ./scripts/messages and translate the new zh_Hans entries"


def _catalogues(root: Path) -> dict[Path, polib.POFile]:
    found = [*root.glob("src/gongchuang/*/locale/*/LC_MESSAGES/django.po")]
    found += root.glob("locale/*/LC_MESSAGES/django.po")
    return {path.relative_to(root): polib.pofile(str(path)) for path in found}


def _key(entry: polib.POEntry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def _label(entry: polib.POEntry) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return context + entry.msgid[:70]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> dict[Path, polib.POFile]:
    tree = tmp_path_factory.mktemp("catalogues")
    skip = shutil.ignore_patterns("__pycache__", "*.mo", "static", "media")
    shutil.copytree(ROOT / "src", tree / "src", ignore=skip)
    shutil.copytree(ROOT / "locale", tree / "locale", ignore=skip)
    call_command("updatecatalogues", root=str(tree), stdout=io.StringIO())
    return _catalogues(tree)


def test_catalogues_have_no_obsolete_entries():
    obsolete = [
        f"{path}: {_label(entry)}"
        for path, catalogue in _catalogues(ROOT).items()
        for entry in catalogue.obsolete_entries()
    ]
    assert obsolete == [], HINT


def test_catalogues_hold_exactly_the_strings_of_the_source(regenerated):
    committed = _catalogues(ROOT)
    problems = []
    for path, fresh in regenerated.items():
        if path not in committed:
            problems.append(f"{path}: no catalogue")
            continue
        have = {_key(e) for e in committed[path] if not e.obsolete}
        wanted = {_key(e) for e in fresh}
        problems += [f"{path}: missing {k[1][:70]!r}" for k in wanted - have]
        problems += [f"{path}: no longer in the source {k[1][:70]!r}" for k in have - wanted]
    problems += [f"{path}: not regenerated" for path in committed.keys() - regenerated.keys()]
    assert problems == [], HINT


def test_every_zh_hans_entry_is_translated():
    untranslated = [
        f"{path}: {_label(entry)}"
        for path, catalogue in _catalogues(ROOT).items()
        if path.parts[-3] == LANGUAGE
        for entry in catalogue
        if not entry.obsolete and not entry.translated()
    ]
    assert untranslated == [], HINT


def _translation(entry: polib.POEntry) -> str | tuple:
    return tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr


def _clashes(catalogues: dict[Path, polib.POFile]) -> list[str]:
    """Each msgid (with its context) given different zh_Hans translations, and by whom."""
    translations: dict[tuple, dict[str | tuple, list[str]]] = {}
    for path, catalogue in catalogues.items():
        if path.parts[-3] != LANGUAGE:
            continue
        where = path.parts[2] if path.parts[0] == "src" else "project"
        for entry in catalogue:
            if entry.obsolete or not entry.translated():
                continue
            found = translations.setdefault(_key(entry), {})
            found.setdefault(_translation(entry), []).append(where)
    return [
        f"{_label(polib.POEntry(msgctxt=key[0], msgid=key[1]))}: {found}"
        for key, found in translations.items()
        if len(found) > 1
    ]


def test_one_msgid_has_one_translation_across_the_apps():
    """Django merges every app's catalogue (and the project's) into one: where two give
    the same msgid different zh_Hans translations, one wins silently, by INSTALLED_APPS
    order, in every app. Same meaning: use the same translation. Different meanings
    (a notice "pinned" to the top, an assignment "pinned" to an expert): give one of them
    a context with a literal string, ``pgettext_lazy("notice", "pinned")`` or
    ``{% translate "Open" context "survey" %}``."""
    assert _clashes(_catalogues(ROOT)) == []


def test_the_clash_check_tells_contexts_and_plurals_apart():
    def catalogue(app: str, *entries: polib.POEntry) -> tuple[Path, polib.POFile]:
        po = polib.POFile()
        po.extend(entries)
        return Path(f"src/gongchuang/{app}/locale/{LANGUAGE}/LC_MESSAGES/django.po"), po

    judging = catalogue(
        "judging",
        polib.POEntry(msgid="pinned", msgstr="已锁定"),
        polib.POEntry(msgid="Open", msgstr="打开"),
        polib.POEntry(msgid="a work", msgid_plural="works", msgstr_plural={0: "件作品"}),
    )
    portal = catalogue(
        "portal",
        polib.POEntry(msgid="pinned", msgstr="置顶"),
        polib.POEntry(msgctxt="survey", msgid="Open", msgstr="开放中"),
        polib.POEntry(msgid="a work", msgid_plural="works", msgstr_plural={0: "个作品"}),
    )
    clashes = _clashes(dict([judging, portal]))
    assert clashes == [
        "pinned: {'已锁定': ['judging'], '置顶': ['portal']}",
        "a work: {((0, '件作品'),): ['judging'], ((0, '个作品'),): ['portal']}",
    ]


def test_every_zh_hans_entry_is_what_the_page_shows():
    """Django looks a msgid up in one merged catalogue where the apps listed first in
    INSTALLED_APPS (django.contrib.admin among them) win: an app's own translation of a bare
    "Summary" was shadowed by the admin's 概览 (issue 20). Every zh_Hans entry must be what
    gettext returns; a word that needs another wording in one app takes a context
    (``pgettext_lazy("edition step", "Summary")``)."""
    from django.utils import translation
    from django.utils.translation import gettext, ngettext, npgettext, pgettext

    shadowed = []
    with translation.override("zh-hans"):
        for path, catalogue in _catalogues(ROOT).items():
            if path.parts[-3] != LANGUAGE:
                continue
            for entry in catalogue:
                if entry.obsolete or not entry.translated():
                    continue
                if entry.msgid_plural:  # zh_Hans has one plural form
                    wanted = entry.msgstr_plural[0]
                    args = (entry.msgid, entry.msgid_plural, 2)
                    if entry.msgctxt:
                        shown = npgettext(entry.msgctxt, *args)
                    else:
                        shown = ngettext(*args)
                elif entry.msgctxt:
                    wanted, shown = entry.msgstr, pgettext(entry.msgctxt, entry.msgid)
                else:
                    wanted, shown = entry.msgstr, gettext(entry.msgid)
                if shown != wanted:
                    shadowed.append(f"{path}: {_label(entry)} → {shown} (not {wanted})")
    assert shadowed == [], "another catalogue wins: give the msgid a context"
