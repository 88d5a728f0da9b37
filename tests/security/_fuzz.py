"""Hostile values and the check that none of them reaches a page as live markup.

Shared by the hand-written form fuzz tests (``test_fuzz_forms``) and the crawler that fuzzes
every form (``test_fuzz_every_form``). Examples are derandomised (fixed seed) so the suite
cannot become flaky; raise ``max_examples`` locally for a longer hunt.
"""

from html.parser import HTMLParser

from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from ._pages import error_page_problem

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large,
    ],
)  # fmt: skip

# Evaluated by a template engine, this renders as TEMPLATE_MARK; escaped, it never does.
TEMPLATE_PAYLOAD = '{{ "fz"|add:"zq" }}{% templatetag openblock %}'
TEMPLATE_MARK = "fzzq"

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "</textarea><fuzz-x>",
    "javascript:alert(1)",
    "' OR '1'='1' --",
    "'; DROP TABLE submissions_work; --",
    "{{ request.user.password }}{% debug %}",
    TEMPLATE_PAYLOAD,
    "\u202e\u200f\u200bدرس\u202c",
    "😀👩‍👩‍👧‍👦🀄" * 20,
    "\x00\x01\x07\x1b[31m\r\n",
    "A" * 20_000,
    "%00%0d%0a",
    "[x](javascript:alert(1)) ![y](data:text/html,<script>alert(1)</script>)",
    '<a href="javascript:alert(1)" style="x">链接</a>',
]
HOSTILE = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=400),
    st.builds(
        lambda a, b, c: a + b + c,
        st.text(max_size=40),
        st.sampled_from(PAYLOADS),
        st.text(max_size=40),
    ),
)
# Hostile text that always carries a payload: what store-mode examples type.
STORED = st.one_of(
    st.sampled_from(PAYLOADS),
    st.builds(
        lambda a, b, c: a + b + c,
        st.text(max_size=10),
        st.sampled_from(PAYLOADS),
        st.text(max_size=10),
    ),
)
WRONG = st.one_of(
    HOSTILE, st.sampled_from(["", "-1", "1e309", "NaN", "0x10", "[]", "{}", "99999999999999999999"])
)
JSON_TYPES = ("application/json", "application/ld+json")
# Sent in every field of a form at once, whatever its type: NUL (PostgreSQL refuses it in
# text) and a string longer than any field allows.
EVERY_FIELD = ["a\x00b", "A" * 10_000]

# Where a hostile ``next`` would send the browser: off-site, or into a script.
REDIRECTS = ["//evil.example/", "https://evil.example/x", "/\\evil.example", "javascript:alert(1)"]
# Values a typed field never accepts (number, date, select, checkbox, ids in hidden fields).
NOT_A_NUMBER = ["abc", "-1", "0", "1.5", "1e309", "NaN", "99999999999999999999", "٣", "１"]
NOT_A_DATE = ["abc", "2026-02-30", "0000-00-00", "99999-01-01", "2026-13-01T25:61", "1/2/3"]
NOT_AN_OPTION = ["999999999", "-1", "abc", "0", "[]"]
FILE_NAMES = [
    '<img src=x onerror=alert(1)>.png', "\u202egnp.exe", "😀" * 40 + ".pdf", "a" * 300 + ".png",
    "../../../etc/passwd", "x.PNG ", "CON.pdf", "作品说明.pdf", "data.csv", "sheet.xlsx", "a.zip",
]  # fmt: skip
VALID = {  # what a typed field accepts, for examples meant to be stored
    "email": "fuzz@example.cn", "tel": "13900000000", "number": "1", "range": "1",
    "date": "2026-06-01", "datetime-local": "2026-06-01T10:00", "time": "10:00",
    "month": "2026-06", "week": "2026-W22", "color": "#aa0000",
}  # fmt: skip


def _file(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def _hostile_files():
    from tests.screening.factories import png_bytes

    contents = st.sampled_from([
        png_bytes(size=(8, 8)), b"%PDF-1.4\n%<script>alert(1)</script>\n%%EOF", b"",
        "姓名,学校\n<script>alert(1)</script>,=cmd|' /C calc'!A0\n".encode(),
        b"PK\x03\x04" + b"\x00" * 26, b"\x00\xff" * 64,
    ]) | st.binary(max_size=300)  # fmt: skip
    return st.builds(_file, st.sampled_from(FILE_NAMES), contents)


def _acceptable_files():
    """Files whose content matches their (hostile) name, so that they can get stored."""
    from tests.screening.factories import png_bytes

    png, pdf = png_bytes(size=(16, 16)), b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return st.sampled_from([
        ('<img src=x onerror=alert(1)>.png', png), ("\u202egnp.pdf", pdf),
        ("😀" * 40 + ".pdf", pdf), ("作品.png", png),
    ]).map(lambda pair: _file(*pair))  # fmt: skip


def _typed(text, maxlength):
    """What a person could type: something, within the field's maxlength."""
    typed = text.filter(lambda s: s.strip())
    return typed.map(lambda s: s[:maxlength]) if maxlength else typed


def field_value(field, store: bool):
    """A strategy for what to send for ``field`` (a ``_forms.Field``); None leaves it out.

    ``store``: hostile text, and every other field as the page filled it in (or with a value it
    accepts), within what a browser lets through (types, options, maxlength, required fields),
    so that the example gets saved and shown; otherwise every field is hostile, of the wrong
    type, or missing.
    """
    return _acceptable(field) if store else st.none() | _hostile(field)


def _acceptable(field):
    kind, options = field.kind, [o for o in field.options if o] or [field.value]
    if kind == "file":
        return _acceptable_files() if field.required else st.none() | _acceptable_files()
    if kind == "select" and (field.value or not field.required):  # as the page chose it
        return st.just([field.value] if field.multiple else field.value)
    if kind == "select":  # a required choice left on its "------" placeholder
        chosen = st.sampled_from(options)
        return st.lists(chosen, unique=True, min_size=1) if field.multiple else chosen
    if kind in ("radio", "checkbox"):  # as the page checked it, else something checked
        if field.value:
            return st.just([field.value] if kind == "checkbox" else field.value)
        if kind == "checkbox":
            return st.lists(st.sampled_from(options), unique=True, min_size=1)
        return st.sampled_from(options)
    if kind in ("number", "range"):
        return st.just(field.value or VALID[kind])
    if kind in ("date", "datetime-local", "time", "month", "week"):
        return st.just(field.value or VALID[kind])
    if kind == "hidden":
        return st.just(field.value)
    if kind == "url":
        return st.sampled_from(["https://example.cn/?q=<script>alert(1)</script>", *REDIRECTS])
    if kind in VALID:  # email, tel, color
        return st.just(VALID[kind])
    return _typed(STORED, field.maxlength)


def _hostile(field):
    kind = field.kind
    if kind == "file":
        return _hostile_files()
    if kind in ("select", "radio", "checkbox"):
        options = [o for o in field.options if o] or [field.value]
        chosen = st.lists(st.sampled_from(options), unique=True)
        wrong = st.sampled_from(NOT_AN_OPTION) | WRONG
        return chosen | st.lists(wrong) if field.multiple or kind == "checkbox" else wrong
    if kind in ("number", "range"):
        return st.sampled_from(NOT_A_NUMBER) | WRONG
    if kind in ("date", "datetime-local", "time", "month", "week"):
        return st.sampled_from(NOT_A_DATE) | WRONG
    if kind in ("hidden", "url"):
        return st.sampled_from([field.value, *REDIRECTS]) | WRONG
    return WRONG


class _Scanner(HTMLParser):
    """Collects what a stored payload would look like once parsed by a browser."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") not in JSON_TYPES:
            self.found.append(f"inline <script> {attrs}")
        if tag.startswith("fuzz"):  # a tag only a payload writes
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and value:
                if (
                    value.strip()
                    .lower()
                    .replace("\t", "")
                    .startswith(("javascript:", "data:text/html"))
                ):
                    self.found.append(f"<{tag} {name}={value[:40]}>")

    def handle_data(self, data):
        if TEMPLATE_MARK in data:
            self.found.append(f"template evaluated: …{data[:80]}…")


def unsafe_markup(html: str) -> list[str]:
    """What in ``html`` a browser would run, or a template engine evaluated."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.found


def assert_safe(response):
    assert response.status_code < 500, response.status_code
    assert not (problem := error_page_problem(response)), problem
    if response.status_code == 200 and "html" in response.headers.get("Content-Type", ""):
        found = unsafe_markup(response.content.decode())
        assert not found, found


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
