"""Extension points through which each app adds itself to the shared UI.

Apps register in their ``AppConfig.ready()`` (by importing their ``nav.py`` /
``dashboard.py``), so that no app edits another app's templates:
- navigation links per role (:func:`register_nav`), grouped for the staff roles
  (:func:`register_nav_group`), each link optionally shown only in some states
  (``NavItem.show``) and with a count of what waits (``NavItem.count``),
- dashboard panels per role (:func:`dashboard_panel`),
- the current edition (:func:`register_edition_source`), which ``editions`` fills, so that
  the start page (``accounts``, a floor below) can hand it to the panels.

(The demo is its own app, ``gongchuang.demo``, with its ordered list of steps.)
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]  # empty: everyone, including anonymous visitors
    order: int = 100
    icon: str = ""
    # The key of a NavGroup: staff roles see the link inside that group of the side navigation.
    group: str = ""
    # ``show(request) -> bool``: hide the link when it does not apply to the person's state
    # (a student with only a draft has no final). Keep it to one cheap query.
    show: Callable | None = None
    # ``count(request) -> int``: what waits for this person behind the link (one COUNT query).
    count: Callable | None = None

    def url(self) -> str | None:
        # Reversed on every page for every nav item: memoised per URLconf and script prefix.
        key = (self.url_name, get_urlconf(), get_script_prefix())
        if key not in _URLS:
            try:
                _URLS[key] = reverse(self.url_name)
            except NoReverseMatch:
                _URLS[key] = None
        return _URLS[key]


_URLS: dict[tuple, str | None] = {}


@receiver(setting_changed)
def _forget_urls(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _URLS.clear()


@dataclass(frozen=True)
class DashboardPanel:
    func: Callable
    roles: frozenset[str]
    order: int
    template: str


@dataclass(frozen=True)
class NavGroup:
    """A heading of the staff side navigation (审核, 评审, 终评, 公示与异议, 报表, 设置)."""

    key: str
    label: str
    order: int = 100


@dataclass
class NavEntry:
    """One top-level entry of a person's navigation: a link, or a group of links."""

    label: str
    url: str | None = None
    count: int = 0
    group: str = ""
    children: list["NavEntry"] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        return bool(self.group)


_NAV: list[NavItem] = []
_NAV_GROUPS: dict[str, NavGroup] = {}
_PANELS: list[DashboardPanel] = []
_EDITION_SOURCE: list[Callable] = []

# The roles that work through queues: they get the grouped side navigation.
SIDE_NAV_ROLES = frozenset({"committee", "unit_organizer", "school_coordinator"})
MAX_TOP_LEVEL = 7


def register_nav(*items: NavItem) -> None:
    for item in items:
        if item not in _NAV:
            _NAV.append(item)


def register_nav_group(*groups: NavGroup) -> None:
    for group in groups:
        _NAV_GROUPS[group.key] = group


def nav_items_for(roles: set[str]) -> list[NavItem]:
    items = [i for i in _NAV if not i.roles or i.roles & roles]
    return sorted(items, key=lambda i: i.order)


def uses_side_nav(roles: set[str]) -> bool:
    return bool(set(roles) & SIDE_NAV_ROLES)


def nav_for(request) -> list[NavEntry]:
    """The person's navigation: top-level entries, the staff's links gathered in groups.

    Staff roles (:data:`SIDE_NAV_ROLES`) see their role links grouped, with the counts of
    what waits; the public pages stay reachable from the home page (the brand links there).
    Everyone else sees a flat list; signed-in people find the public pages under one
    "Activity" group. Each ``show``/``count`` runs at most once per request.
    """
    user = request.user
    roles = set(user.roles) if user.is_authenticated else set()
    cache = request.__dict__.setdefault("_nav_cache", {})
    if "entries" in cache:
        return cache["entries"]
    staff = uses_side_nav(roles)
    entries: list[NavEntry] = []
    groups: dict[str, NavEntry] = {}
    for item in nav_items_for(roles | {"*"}):
        public = item.roles == frozenset({"*"})
        if staff:
            if public and not item.group:
                continue  # the public pages: the brand links home, where they all are
            group_key = item.group
        elif roles:
            if item.url_name == "portal:home":
                continue  # the brand links home
            # Public pages gather under one entry, except those that depend on the state.
            group_key = "activity" if public and item.show is None else ""
        else:
            group_key = ""
        url = item.url()
        if url is None or (item.show is not None and not item.show(request)):
            continue
        entry = NavEntry(label=item.label, url=url, count=item.count(request) if item.count else 0)
        group = _NAV_GROUPS.get(group_key)
        if group is None:
            entries.append(entry)
            continue
        if group.key not in groups:
            groups[group.key] = NavEntry(label=group.label, group=group.key)
            entries.append(groups[group.key])
        groups[group.key].children.append(entry)
        groups[group.key].count += entry.count
    order = {g.key: g.order for g in _NAV_GROUPS.values()}
    entries.sort(key=lambda e: order.get(e.group, 0) if e.group else 0)
    cache["entries"] = entries
    return entries


def dashboard_panel(*, roles: set[str], template: str, order: int = 100):
    """Register ``func(request, edition) -> dict | None`` as a dashboard panel.

    The dict is the context of ``template``; returning None hides the panel.
    """

    def decorator(func):
        _PANELS.append(DashboardPanel(func, frozenset(roles), order, template))
        return func

    return decorator


def request_memo(request, key: str, func: Callable):
    """``func()`` once per request (navigation counts share their queries this way)."""
    memo = request.__dict__.setdefault("_nav_memo", {})
    if key not in memo:
        memo[key] = func()
    return memo[key]


def request_edition(request):
    """The current edition, read once per request."""
    return request_memo(request, "edition", current_edition)


def register_edition_source(func: Callable) -> None:
    """``func() -> Edition | None``: the current edition (registered by ``editions``)."""
    _EDITION_SOURCE[:] = [func]


def current_edition():
    return _EDITION_SOURCE[0]() if _EDITION_SOURCE else None


def dashboard_panels_for(roles: set[str]) -> list[DashboardPanel]:
    return sorted((p for p in _PANELS if p.roles & roles), key=lambda p: p.order)
