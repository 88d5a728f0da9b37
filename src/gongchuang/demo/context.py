from dataclasses import dataclass, field

from gongchuang.editions import defaults
from gongchuang.editions.models import Edition
from gongchuang.editions.services import edition_create_from_defaults


@dataclass
class DemoContext:
    """What the demo steps share: the demo edition, the seeding time, and what earlier steps
    made (``users`` by role key, ``extra`` for anything else)."""

    edition: Edition
    now: object
    users: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def past_edition(self) -> Edition:
        """Last year's demo edition (created on first use): a finished final, showcase works."""
        year = self.edition.year - 1
        past, _created = edition_create_from_defaults(
            year=year,
            slug="demo-past",
            code=f"P{str(year)[2:]}",
            name=f"{year}北京青少年人工智能应用实践活动（演示·往届）",
            windows=defaults.windows_for_year(year),
            is_demo=True,
        )
        return past
