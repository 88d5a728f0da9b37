"""Extension points through which each app adds itself to the shared UI and the demo.

Apps register in their ``AppConfig.ready()`` (by importing their ``nav.py`` /
``dashboard.py`` / ``demo.py``), so that no app edits another app's templates:
- navigation links per role (:func:`register_nav`),
- dashboard panels per role (:func:`dashboard_panel`),
- demo seeders run by ``manage.py seed_demo`` in ``order`` (:func:`demo_seeder`).
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


@dataclass
class DemoSeeder:
    func: Callable
    order: int
    name: str = field(default="")


_NAV: list[NavItem] = []
_PANELS: list[DashboardPanel] = []
_SEEDERS: list[DemoSeeder] = []


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


def demo_seeder(*, order: int):
    """Register ``func(demo)`` to fill an app's pages in the demo edition."""

    def decorator(func):
        if all(
            s.func.__qualname__ != func.__qualname__ or s.func.__module__ != func.__module__
            for s in _SEEDERS
        ):
            _SEEDERS.append(DemoSeeder(func, order, f"{func.__module__}.{func.__name__}"))
        return func

    return decorator


def demo_seeders() -> list[DemoSeeder]:
    return sorted(_SEEDERS, key=lambda s: s.order)
