"""The import contracts in ``.importlinter`` hold (docs/architecture.md): apps layered by
phase, ``common`` importing no domain app, the core never importing the faces, nothing
importing the demo."""

import configparser
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".importlinter"


def test_import_contracts_are_kept(capsys, monkeypatch):
    monkeypatch.chdir(ROOT / "src")  # lint-imports finds the root package from the cwd
    status = lint_imports(config_filename=str(CONFIG), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert status == 0, report


def test_every_app_is_in_the_phase_layers():
    # A new app must be given its place, or the layers contract would not check it.
    config = configparser.ConfigParser()
    config.read(CONFIG)
    layers = config["importlinter:contract:phases"]["layers"]
    named = {name.strip() for line in layers.split() for name in line.split("|")} - {""}
    apps = {
        f"gongchuang.{path.parent.name}"
        for path in (ROOT / "src" / "gongchuang").glob("*/__init__.py")
    }
    assert named == apps
