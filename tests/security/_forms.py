"""What a browser would submit: the ``<form>`` elements of a page, with their fields and links.

Only what a fuzzer needs: method, action, enctype, named fields (inputs by type, selects with
their options, textareas, file inputs) and named submit buttons. Fields associated with a form by
``form="id"`` outside it count too.
"""

import dataclasses
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

SUBMIT_TYPES = ("submit", "image")
IGNORED_TYPES = ("reset", "button")


@dataclasses.dataclass
class Field:
    name: str
    kind: str  # an <input> type, or "select" / "textarea"
    value: str = ""  # what a browser sends untouched (value, content, checked or chosen option)
    options: list = dataclasses.field(default_factory=list)  # select, radio, checkbox values
    multiple: bool = False
    required: bool = False
    maxlength: int | None = None  # what a browser lets a person type


@dataclasses.dataclass
class Form:
    method: str  # "get" or "post"
    action: str  # a path (with query), resolved against the page's URL
    enctype: str
    fields: dict = dataclasses.field(default_factory=dict)  # name -> Field
    buttons: list = dataclasses.field(default_factory=list)  # (name, value) of named submits
    unnamed_submit: bool = False  # a submit button that sends no name of its own
    element_id: str = ""

    def submitters(self) -> list:
        """What a click can add to the data: a named button's (name, value), or None."""
        return self.buttons + ([None] if self.unnamed_submit or not self.buttons else [])

    @property
    def path(self) -> str:
        return urlsplit(self.action).path

    def signature(self) -> tuple:
        """Stable identity: method, action path, field names (not values) and submit buttons."""
        names = sorted(n for n in self.fields if n != "csrfmiddlewaretoken")
        return (self.method, self.path, tuple(names), tuple(sorted(set(self.buttons))))


class _FormParser(HTMLParser):
    def __init__(self, base_url: str):
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._current: Form | None = None
        self._orphans: list[tuple[str, str, dict]] = []  # (form id, tag, attrs) outside forms
        self._select: tuple[Form | None, Field] | None = None
        self._option_value: str | None = None
        self._option_text = ""
        self._option_selected = False
        self._textarea: tuple[Form | None, Field] | None = None

    def _target(self, attrs: dict) -> Form | None:
        owner = attrs.get("form")
        if owner:
            for form in self.forms:
                if form.element_id == owner:
                    return form
            return None
        return self._current

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.base_url, a["href"]))
        elif tag == "form":
            self._current = Form(
                method=(a.get("method") or "get").lower(),
                action=urljoin(self.base_url, a.get("action") or self.base_url),
                enctype=a.get("enctype", "application/x-www-form-urlencoded"),
                element_id=a.get("id", ""),
            )
            self.forms.append(self._current)
        elif tag in ("input", "button", "select", "textarea"):
            target = self._target(a)
            if target is None and a.get("form"):
                self._orphans.append((a["form"], tag, a))
                return
            self._field(target, tag, a)
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._option_text = ""
            self._option_selected = "selected" in a

    def _field(self, form: Form | None, tag: str, a: dict):
        name = a.get("name")
        kind = a.get("type", "submit" if tag == "button" else "text").lower()
        if tag == "select":
            field = Field(name or "", "select", multiple="multiple" in a, required="required" in a)
            self._select = (form, field)
            if form is not None and name and "disabled" not in a:
                form.fields[name] = field
            return
        if tag == "textarea":
            field = Field(name or "", "textarea", required="required" in a)
            maxlength = a.get("maxlength", "")
            field.maxlength = int(maxlength) if maxlength.isdigit() else None
            self._textarea = (form, field)
            if form is not None and name and "disabled" not in a:
                form.fields[name] = field
            return
        if form is None or "disabled" in a or kind in IGNORED_TYPES:
            return
        if not name:
            form.unnamed_submit |= kind in SUBMIT_TYPES
            return
        value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
        if kind in SUBMIT_TYPES:
            form.buttons.append((name, value))
            return
        if kind in ("checkbox", "radio") and name in form.fields:
            form.fields[name].options.append(value)
            form.fields[name].multiple = kind == "checkbox"
            return
        maxlength = a.get("maxlength", "")
        field = Field(name, kind, value=value, required="required" in a)
        field.maxlength = int(maxlength) if maxlength.isdigit() else None
        if kind in ("checkbox", "radio"):
            field.options = [value]
            field.value = value if "checked" in a else ""
        form.fields[name] = field

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None
        elif tag == "option" and self._select is not None:
            field = self._select[1]
            value = self._option_value if self._option_value is not None else self._option_text
            field.options.append(value)
            if self._option_selected or len(field.options) == 1:  # a browser sends the first
                field.value = value
            self._option_value = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].value += data
        elif self._select is not None:
            self._option_text += data.strip()

    def close(self):
        super().close()
        for owner, tag, a in self._orphans:
            form = next((f for f in self.forms if f.element_id == owner), None)
            if form is not None:
                self._field(form, tag, a)


def parse(html: str, base_url: str) -> tuple[list[Form], list[str]]:
    """The forms and the link targets of a page."""
    parser = _FormParser(base_url)
    parser.feed(html)
    parser.close()
    return parser.forms, parser.links
