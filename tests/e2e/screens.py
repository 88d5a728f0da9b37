"""Checks for the screenshot tests (issue 20 item 8): sideways overflow, text outside the UI
language and axe-core's serious or critical violations, plus one demo seeding per module.

Used by tests/e2e/test_screens_e2e.py; kept apart so the checks can be reused."""

import json
import re
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# Latin words that are not untranslated English in the Chinese UI: acronyms written in
# lower or mixed case, file types, licence codes and product names the Chinese text uses as
# they are. All-caps words (AI, PDF, QR, CC BY, OCR …) and tokens with digits, underscores,
# dots, "@" or "/" (codes, usernames, e-mails, file names, addresses) are skipped by rule.
LATIN_ALLOWED = {
    "xlsx", "xls", "csv", "pdf", "png", "jpg", "jpeg", "gif", "webp", "svg", "mp3", "mp4",
    "wav", "zip", "docx", "pptx", "txt", "html", "json", "excel", "word", "wps",
    "powerpoint", "python", "scratch", "markdown", "mov", "webm", "m4a", "ogg", "flac",
}  # fmt: skip
# Names of AI products (the tools a work declares): proper nouns, never translated.
PRODUCT_NAMES = [
    "ChatGPT", "DeepSeek", "Kimi", "Midjourney", "Stable Diffusion", "Coze", "Copilot",
    "Claude", "Gemini", "Qwen", "Doubao", "Suno", "Runway", "DALL-E",
]  # fmt: skip

# What counts as the page's chrome: words the templates and forms put there, not the data
# people typed. In the Chinese UI headings, options and image texts count too: they can
# carry data (a work's title, a school's name), but the demo's data is Chinese.
CHROME = (
    "nav, header, footer, button, label, legend, summary, caption, th, h1, h2, h3, h4, "
    "option, .help, .helptext, .hint, .badge, .state, .empty, .button, .tab, "
    "[role=tab], [role=button], dt, .messages, .errorlist"
)
# In the English UI the data stays Chinese: headings (titles, category names), the footer's
# theme, options (districts, schools) and image texts (titles) are left out, and a text
# mixing English with Chinese is chrome around data ("Guide · 2026北京…"); what is checked is
# chrome that has no English at all.
CHROME_EN = (
    "nav a, button, label, legend, summary, caption, th, .help, .helptext, .hint, "
    ".badge, .state, .empty, .button, .tab, [role=tab], dt, .messages, .errorlist"
)

_LANGUAGE_JS = """
({mode, chrome, allowed, products, data}) => {
  const PRODUCT = new RegExp('(?<![A-Za-z])(' + products.join('|') + ')(?![A-Za-z])', 'g');
  const LATIN = /[A-Za-z]/;
  // Chinese characters; CJK punctuation and full-width symbols (＋, ：) alone are no language.
  const CJK = /[\\u3400-\\u9fff\\uf900-\\ufaff]/;
  const dataTexts = new Set(data);
  // Chinese text the database holds (names, titles, rubric and survey wording typed by the
  // committee) is data: it stays Chinese in the English UI.
  const isData = (text) => dataTexts.has(text.replace(/^[\\s●•·:：*]+|[\\s:：*]+$/g, ''));
  const allow = new Set(allowed);
  const pageLang = document.documentElement.lang;
  // Skipped: what declares another language or asks not to be translated (the language
  // switch, names, codes), code samples, and what nobody can see or hear.
  const exempt = (el) => {
    for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
      if (e.hasAttribute('lang') && e.getAttribute('lang') !== pageLang) return true;
      if (e.getAttribute('translate') === 'no') return true;
      if (['CODE', 'KBD', 'SAMP', 'PRE', 'SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT']
          .includes(e.tagName)) return true;
      if (e.getAttribute('aria-hidden') === 'true') return true;
    }
    return false;
  };
  const shown = (el) => {
    if (el.tagName === 'OPTION') el = el.closest('select') || el;
    return el.checkVisibility({visibilityProperty: true});
  };
  const english = (text, strict) => {
    const words = [];
    // {title}, %(name)s: placeholders of message templates, not words.
    const bare = text.replace(PRODUCT, ' ').replace(/\\{[A-Za-z_]+\\}|%\\([A-Za-z_]+\\)s/g, ' ');
    for (const m of bare.matchAll(/[A-Za-z][A-Za-z0-9_.@\\/:+'’-]*/g)) {
      let w = m[0].replace(/[.:'’-]+$/, '');
      if (/[0-9_@\\/]|[.:]./.test(w)) { words.push(null); continue; }  // codes, files, URLs
      if (w.length < 2 || w === w.toUpperCase() || allow.has(w.toLowerCase())) {
        words.push(null); continue;  // acronyms, allowed words
      }
      words.push(w);
    }
    if (strict) return words.filter(Boolean);
    // Outside the chrome (paragraphs, cells): only a run of two English words is a phrase
    // someone forgot to translate; a single word there is usually data.
    for (let i = 1; i < words.length; i++) {
      if (words[i] && words[i - 1]) return words.filter(Boolean);
    }
    return [];
  };
  const problems = [];
  const seen = new Set();
  const report = (el, text, what) => {
    const key = what + '|' + text;
    if (seen.has(key)) return;
    seen.add(key);
    let where = el.tagName.toLowerCase();
    if (el.id) where += '#' + el.id;
    else if (el.classList.length) where += '.' + [...el.classList].join('.');
    problems.push({where, text: text.trim().slice(0, 80), what});
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue;
    if (!text.trim()) continue;
    const el = node.parentElement;
    if (!el || exempt(el) || !shown(el)) continue;
    const inChrome = !!el.closest(chrome);
    if (mode === 'zh') {
      const words = english(text, inChrome);
      if (words.length) report(el, text, 'English: ' + words.join(' '));
    } else if (inChrome && CJK.test(text) && !LATIN.test(text) && !isData(text)) {
      report(el, text, 'Chinese');
    }
  }
  // Words only assistive technology or an empty field shows.
  const attrs = ['aria-label', 'placeholder'].concat(mode === 'zh' ? ['title', 'alt'] : []);
  const wrong = (text) => mode === 'zh'
    ? english(text, true).length > 0
    : CJK.test(text) && !LATIN.test(text) && !isData(text);
  for (const el of document.body.querySelectorAll(attrs.map(a => `[${a}]`).join(','))) {
    if (exempt(el) || !shown(el)) continue;
    for (const a of attrs) {
      const text = el.getAttribute(a);
      if (!text) continue;
      if (wrong(text)) {
        report(el, text, (mode === 'zh' ? 'English ' : 'Chinese ') + a);
      }
    }
  }
  const buttons = 'input[type=submit][value], input[type=button][value]';
  for (const el of document.body.querySelectorAll(buttons)) {
    if (!exempt(el) && shown(el) && wrong(el.value)) report(el, el.value, 'button value');
  }
  return problems;
}
"""

_OVERFLOW_JS = """
() => {
  const vw = window.innerWidth;
  const sw = document.documentElement.scrollWidth;
  if (sw <= vw) return null;
  const describe = (el) => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += '#' + el.id;
    if (el.classList.length) d += '.' + [...el.classList].join('.');
    const parent = el.parentElement;
    if (parent && parent !== document.body) {
      let p = parent.tagName.toLowerCase();
      if (parent.classList.length) p += '.' + [...parent.classList].join('.');
      d = p + ' > ' + d;
    }
    return d + ' "' + (el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 50) + '"';
  };
  // An element inside a box that scrolls or clips on its own does not widen the page.
  const clipped = (el) => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const o = getComputedStyle(e).overflowX;
      if (o !== 'visible') return e.getBoundingClientRect().right <= vw + 0.5;
    }
    return false;
  };
  const offenders = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (!r.width || r.right + window.scrollX <= vw + 0.5 || clipped(el)) continue;
    offenders.push({right: Math.round(r.right + window.scrollX), width: Math.round(r.width), el});
  }
  offenders.sort((a, b) => b.right - a.right);
  return {scrollWidth: sw, innerWidth: vw,
          widest: offenders.slice(0, 3)
            .map(o => `${describe(o.el)} right=${o.right} width=${o.width}`)};
}
"""

_AXE_JS = """
async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']},
    resultTypes: ['violations'],  // full detail for violations only: faster
  });
  return JSON.stringify({
    rules: result.passes.length + result.violations.length + result.incomplete.length
      + result.inapplicable.length,
    violations: result.violations
      .filter(v => v.impact === 'serious' || v.impact === 'critical')
      .map(v => ({id: v.id, impact: v.impact, help: v.help,
                  targets: v.nodes.slice(0, 4).map(n => n.target.join(' '))})),
  });
}
"""


def overflow(page) -> str | None:
    """Why the page scrolls sideways (the widest offending elements), or None."""
    found = page.evaluate(_OVERFLOW_JS)
    if found is None:
        return None
    widest = "; ".join(found["widest"]) or "(no single element)"
    return f"scrollWidth {found['scrollWidth']} > innerWidth {found['innerWidth']}: {widest}"


def wrong_language(page, mode: str, data: list[str] = ()) -> list[str]:
    """Text outside the UI language: English words in the Chinese UI (``mode="zh"``),
    Chinese in the English UI's chrome (``mode="en"``) that is not one of ``data``."""
    found = page.evaluate(
        _LANGUAGE_JS,
        {
            "mode": mode,
            "chrome": CHROME if mode == "zh" else CHROME_EN,
            "allowed": sorted(LATIN_ALLOWED),
            "products": PRODUCT_NAMES,
            "data": list(data),
        },
    )
    return [f"{p['what']} in <{p['where']}>: {p['text']!r}" for p in found]


def axe_violations(page) -> list[str]:
    """axe-core's serious and critical WCAG 2 A/AA violations, as 'rule (impact): targets'."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    report = json.loads(page.evaluate(_AXE_JS))
    assert report["rules"] > 10, "axe did not run"
    return [
        f"{v['id']} ({v['impact']}: {v['help']}): {', '.join(v['targets'])}"
        for v in report["violations"]
    ]


def chinese_data() -> list[str]:
    """Every short Chinese text the database holds (names, titles, wording the committee
    typed, also inside JSON): what the English UI may show as it is."""
    from django.apps import apps
    from django.db import models

    found = set()

    def collect(value):
        if isinstance(value, str):
            if len(value) <= 300 and re.search(r"[\u3400-\u9fff]", value):
                found.add(value.strip())
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for model in apps.get_models():
        if not model.__module__.startswith("gongchuang."):
            continue
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if names:
            for row in model.objects.values_list(*names):
                collect(list(row))
    return sorted(found)


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


@dataclass
class DemoSnapshot:
    """``seed_demo`` once per module: later tests restore a copy of the database and media.

    The suite's SQLite test database lives in memory and the live server shares its
    connection, so SQLite's online backup copies the seeded state out and back in a few
    milliseconds — the same rows as seeding again, without its 20 seconds."""

    media: Path
    database: sqlite3.Connection | None = field(default=None)

    def load(self) -> None:
        from django.core.cache import cache
        from django.db import connection

        from gongchuang.accounts.kept_users import clear_kept_users
        from gongchuang.editions.selectors import clear_current_edition_cache

        media = Path(settings.MEDIA_ROOT)
        connection.ensure_connection()
        if self.database is None:
            call_command("seed_demo")
            self.database = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.database)
            if media.exists():
                shutil.copytree(media, self.media, dirs_exist_ok=True)
        else:
            self.database.backup(connection.connection)
            if self.media.exists():
                shutil.copytree(self.media, media, dirs_exist_ok=True)
        cache.clear()
        clear_current_edition_cache()
        clear_kept_users()
