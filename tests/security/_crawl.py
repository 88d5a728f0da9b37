"""The crawler of ``test_fuzz_every_form``: pages, their forms, and what they read."""

import collections
import dataclasses
import inspect
import pathlib
import re
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import Resolver404, resolve

from ._forms import Field, Form, parse

SKIPPED_NAMESPACES = {"admin", "api-v1"}  # Django's admin; the bearer-token API (no forms)
PAGES_PER_VIEW = 2  # the same view for two objects (say a submitted work and a draft)
NOT_PAGES = {"accounts:logout", "set_language"}  # POST only: a GET is a 405

_TABLE = re.compile(r'\b(?:FROM|JOIN|INTO|UPDATE)\s+"(\w+)"', re.IGNORECASE)


class Tables:
    """Database wrapper: the tables read, and the tables written with text that could be live
    markup (``MARKUP``), while installed; sessions aside."""

    MARKUP = ("<", "javascript:", "data:text/html", "{{", "{%", "&#", "&lt")

    def __init__(self):
        self.read, self.tainted = set(), set()

    def __call__(self, execute, sql, params, many, context):
        names = set(_TABLE.findall(sql)) - {"django_session"}
        if sql.lstrip()[:6].upper() not in ("INSERT", "UPDATE", "DELETE"):
            self.read |= names
        elif any(self._markup(p) for p in (params or ())):
            self.tainted |= names
        return execute(sql, params, many, context)

    def _markup(self, value) -> bool:
        if isinstance(value, (list, tuple)):  # executemany: one tuple per row
            return any(self._markup(v) for v in value)
        return isinstance(value, str) and any(m in value.lower() for m in self.MARKUP)


@dataclasses.dataclass
class Found:
    page: str  # the URL of the page the form is on
    page_name: str
    form: Form
    action_name: str


@dataclasses.dataclass
class Crawl:
    pages: dict = dataclasses.field(default_factory=dict)  # url -> tables its rendering reads
    forms: dict = dataclasses.field(default_factory=dict)  # form_key -> Found
    templates: set = dataclasses.field(default_factory=set)


def url_name(path: str) -> tuple[str | None, dict]:
    try:
        match = resolve(path)
    except Resolver404:
        return None, {}
    return match.view_name, match.kwargs


def form_key(form: Form) -> tuple | None:
    """(method, action URL name, its arguments that are not ids, field names, submit buttons)."""
    name, kwargs = url_name(form.path)
    if name is None:
        return None
    words = tuple(sorted((k, v) for k, v in kwargs.items() if not str(v).isdigit()))
    return (form.method, name, words, *form.signature()[2:])


def crawl(client: Client, start: list[str]) -> Crawl:
    """GET the pages and the pages they link or redirect to; collect their forms."""
    result, queue, seen, per_view = Crawl(), list(start), set(), collections.Counter()
    while queue:
        url = queue.pop(0)
        name, _ = url_name(urlsplit(url).path)
        if name is None or name.split(":")[0] in SKIPPED_NAMESPACES or name in NOT_PAGES:
            continue
        if url in seen or per_view[name] >= PAGES_PER_VIEW:
            continue
        seen.add(url)
        tables = Tables()
        with connection.execute_wrapper(tables):
            response = client.get(url)
        if response.status_code in (301, 302, 303):
            queue.append(response.headers["Location"])
        if response.status_code != 200 or "html" not in response.headers.get("Content-Type", ""):
            continue
        per_view[name] += 1
        result.pages[url] = tables.read
        result.templates |= {t.name for t in response.templates if t.name}
        forms, links = parse(response.content.decode(), "http://testserver" + url)
        for link in links:
            parts = urlsplit(link)
            if parts.netloc in ("", "testserver") and parts.scheme in ("", "http"):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
                if parts.query:  # a link with a query string is a GET form filled in
                    forms.append(query_form(parts))
        for form in forms:
            key = form_key(form)
            if key is not None and key not in result.forms:
                result.forms[key] = Found(url, name, form, key[1])
    return result


def query_form(link) -> Form:
    fields = {k: Field(k, "search", value=v) for k, v in parse_qsl(link.query, True)}
    return Form(method="get", action=link.path, enctype="", fields=fields)


def client_for(world, role: str) -> Client:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def form_templates() -> dict[str, set]:
    """The project's templates that contain a <form>: name -> the actions written in them as
    ``{% url 'name' … 'word' %}`` (URL name, quoted words)."""
    src = pathlib.Path(settings.SRC_DIR)
    roots = [src / "templates", *sorted((src / "gongchuang").glob("*/templates"))]
    found = {}
    for root in roots:
        for path in root.rglob("*.html"):
            tags = re.findall(r"<form\b[^>]*>", path.read_text(encoding="utf-8"))
            if tags:
                found[str(path.relative_to(root))] = {
                    (name, tuple(re.findall(r"'(\w+)'", args)))
                    for tag in tags
                    for name, args in re.findall(r"{% url '([\w:]+)'([^%]*)%}", tag)
                }
    return found


def accepts_post(view) -> bool:
    """Whether a view handles POST: a class view with ``post``, or a function that (or one of
    the functions it calls by name) reads ``request.POST`` or checks for the method."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    func = inspect.unwrap(view)
    if not inspect.isfunction(func):
        return False
    called = [func.__globals__.get(name) for name in func.__code__.co_names]
    return any("POST" in inspect.getsource(f) for f in [func, *called] if inspect.isfunction(f))
