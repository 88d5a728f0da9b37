"""Read an HTML form the way a browser would submit it, for the cluster rig's driver.

``form_fields(html, action)`` returns the form's successful controls with their initial
values (hidden inputs such as the CSRF token, text values, checked boxes and radios, the
selected option of each select); the driver then changes what a person would type or
pick. ``option_value(html, name, text)`` finds an ``<option>`` by the text shown.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _Form:
    def __init__(self, action: str):
        self.action = action
        self.fields: dict[str, str] = {}
        self.names: list[str] = []  # every control's name, checked or not


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self.options: dict[str, list[tuple[str, str, bool]]] = {}
        self._form: _Form | None = None
        self._select: str | None = None
        self._option: list | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = _Form(a.get("action", ""))
            self.forms.append(self._form)
        elif tag == "input" and a.get("name"):
            self._input(a)
        elif tag == "select":
            self._select = a.get("name")
            self.options.setdefault(self._select or "", [])
            if self._form is not None and self._select:
                self._form.names.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "", "selected" in a]
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            if self._form is not None:
                self._form.names.append(self._textarea)
                self._form.fields[self._textarea] = ""

    def _input(self, a: dict) -> None:
        kind = a.get("type", "text").lower()
        if self._form is None or kind in ("submit", "button", "file", "reset", "image"):
            return
        self._form.names.append(a["name"])
        if kind in ("checkbox", "radio") and "checked" not in a:
            return
        self._form.fields[a["name"]] = a.get("value", "on" if kind == "checkbox" else "")

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data
        elif self._textarea is not None and self._form is not None:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self._end_option()
        elif tag == "select":
            if self._option is not None:
                self._end_option()
            self._select_default()
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None

    def _end_option(self) -> None:
        value, text, selected = self._option
        text = " ".join(text.split())
        self.options[self._select or ""].append((text if value is None else value, text, selected))
        self._option = None

    def _select_default(self) -> None:
        options = self.options.get(self._select or "", [])
        if self._form is None or not self._select or not options:
            return
        chosen = next((o for o in options if o[2]), options[0])
        self._form.fields[self._select] = chosen[0]


def _parse(html: str) -> _Parser:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser


def form_fields(html: str, action: str = "") -> dict[str, str]:
    """The initial submission of the first form whose action attribute is ``action``
    (``""``: a form without one, which posts to the page itself); KeyError if none."""
    for form in _parse(html).forms:
        if form.action == action:
            return dict(form.fields)
    raise KeyError(f"no form with action {action!r}")


def field_names(html: str, action: str = "") -> list[str]:
    """Every control name of that form (checkboxes included, checked or not)."""
    for form in _parse(html).forms:
        if form.action == action:
            return list(form.names)
    raise KeyError(f"no form with action {action!r}")


def option_value(html: str, name: str, text: str) -> str:
    """The value of the first option of select ``name`` whose shown text contains ``text``."""
    for value, shown, _selected in _parse(html).options.get(name, []):
        if text in shown:
            return value
    raise KeyError(f"no option {text!r} in {name!r}")
