"""The one font of every PDF the platform makes, embedded in each PDF.

Certificates, the summary report and the demo files all draw their text, table cells
and chart labels in Noto Sans SC (SIL Open Font License), which the project ships itself:
the npm package ``@fontsource/noto-sans-sc`` in ``node_modules``. Never a font a viewer
must supply: reportlab's CID fonts (``STSong-Light``) and its standard fonts (Helvetica,
the default of a canvas and of chart labels) are not embedded, so a viewer without them
shows blank text (issue 23). ``tests/common/test_pdf_fonts.py`` runs ``pdffonts`` on each.

The package holds one WOFF file per unicode range and weight. reportlab needs a single
TrueType file, so on first use all ranges of a weight are merged (fontTools, about 7 s)
into ``VAR_DIR/fonts/NotoSansSC-<weight>-<package version>.ttf``, written atomically so
concurrent workers may race safely; later processes only register the file (~40 ms).
One font with every range means any character of a rare name has its glyph, in a
paragraph, a table cell or a chart label alike. reportlab embeds the glyphs it uses.
"""

import json
import os
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_PACKAGE = "@fontsource/noto-sans-sc"
REGULAR, BOLD = 400, 700
NAMES = {REGULAR: "NotoSansSC", BOLD: "NotoSansSC-Bold"}
PRIMARY_SUBSETS = ("chinese-simplified", "latin", "latin-ext")
# Tables reportlab does not read (shaping, vertical metrics): merging them costs time.
UNUSED_TABLES = ["GSUB", "GPOS", "GDEF", "vhea", "vmtx", "STAT", "gasp"]

_lock = threading.Lock()


def _package_dir() -> Path:
    path = Path(settings.NODE_MODULES) / FONT_PACKAGE
    if not (path / "package.json").exists():
        raise ImproperlyConfigured(
            f"{FONT_PACKAGE} is missing from {settings.NODE_MODULES}: run `npm ci`"
        )
    return path


def _subset_files(weight: int) -> list[Path]:
    """The package's WOFF files of ``weight``: the common ranges first (where two files
    map a character, the first one's glyph is kept), then every numbered range."""
    files = sorted((_package_dir() / "files").glob(f"noto-sans-sc-*-{weight}-normal.woff"))
    first = [f"noto-sans-sc-{name}-{weight}-normal.woff" for name in PRIMARY_SUBSETS]
    return sorted(files, key=lambda path: (path.name not in first, path.name))


def _merged_ttf(weight: int) -> Path:
    version = json.loads((_package_dir() / "package.json").read_text(encoding="utf-8"))["version"]
    target = Path(settings.VAR_DIR) / "fonts" / f"NotoSansSC-{weight}-{version}.ttf"
    if target.exists():
        return target
    from fontTools.merge import Merger, Options

    target.parent.mkdir(parents=True, exist_ok=True)
    merged = Merger(options=Options(drop_tables=UNUSED_TABLES)).merge(
        [str(path) for path in _subset_files(weight)]
    )
    merged.flavor = None  # plain TrueType, not WOFF
    _name(merged, weight)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".ttf.part")
    os.close(fd)
    try:
        merged.save(tmp)
        os.chmod(tmp, 0o644)  # mkstemp made it private
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def _name(font, weight: int) -> None:
    """Name the merged font itself (each range file calls itself "Noto Sans SC Thin")."""
    style = "Bold" if weight == BOLD else "Regular"
    table = font["name"]
    for name_id, text in [
        (1, "Noto Sans SC"),
        (2, style),
        (3, f"{NAMES[weight]}-{style}"),
        (4, f"Noto Sans SC {style}"),
        (6, f"NotoSansSC-{style}"),
    ]:
        table.removeNames(nameID=name_id)
        table.setName(text, name_id, 3, 1, 0x409)


def font_file(weight: int = REGULAR) -> Path:
    """The merged TrueType file of ``weight``, for drawing text elsewhere (Pillow)."""
    return _merged_ttf(weight)


def font_name(weight: int = REGULAR) -> str:
    """The registered reportlab font name of Noto Sans SC at ``weight`` (400 or 700)."""
    name = NAMES[weight]
    if name not in pdfmetrics.getRegisteredFontNames():
        with _lock:
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(_merged_ttf(weight))))
    return name


def canvas_options(size: float = 12) -> dict:
    """Keyword arguments for ``canvas.Canvas``, ``SimpleDocTemplate`` and a graphics
    ``Drawing``: start in the embedded font, not reportlab's default Helvetica (which the
    page would name, unembedded, even with no text set in it)."""
    return {"initialFontName": font_name(), "initialFontSize": size}


@lru_cache(maxsize=4)
def coverage(weight: int = REGULAR) -> frozenset[int]:
    """Code points with a glyph in the font (for tests and diagnostics)."""
    from fontTools.ttLib import TTFont as FTFont

    return frozenset(FTFont(str(_merged_ttf(weight)), lazy=True).getBestCmap())
