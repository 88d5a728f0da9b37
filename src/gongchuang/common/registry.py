"""Extension points through which each app adds itself to the shared UI.

Apps register in their ``AppConfig.ready()`` (by importing their ``nav.py`` /
``dashboard.py``), so that no app edits another app's templates:
- navigation links per role (:func:`register_nav`),
- dashboard panels per role (:func:`dashboard_panel`).

(The demo is its own app, ``gongchuang.demo``, with its ordered list of steps.)
"""

from collections.abc import Callable
from dataclasses import dataclass

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


_NAV: list[NavItem] = []
_PANELS: list[DashboardPanel] = []


def register_nav(*items: NavItem) -> None:
    for item in items:
        if item not in _NAV:
            _NAV.append(item)


def nav_items_for(roles: set[str]) -> list[NavItem]:
    items = [i for i in _NAV if not i.roles or i.roles & roles]
    return sorted(items, key=lambda i: i.order)


def dashboard_panel(*, roles: set[str], template: str, order: int = 100):
    """Register ``func(request, edition) -> dict | None`` as a dashboard panel.

    The dict is the context of ``template``; returning None hides the panel.
    """

    def decorator(func):
        _PANELS.append(DashboardPanel(func, frozenset(roles), order, template))
        return func

    return decorator


def dashboard_panels_for(roles: set[str]) -> list[DashboardPanel]:
    return sorted((p for p in _PANELS if p.roles & roles), key=lambda p: p.order)

