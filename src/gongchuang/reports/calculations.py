"""Pure calculations of the reports app: no database, no request.

``shift_one_year`` moves a phase window of a cloned edition; ``token_hash`` is the only form
in which an API token is stored or looked up.
"""

import calendar
import datetime
import hashlib

from django.utils import timezone


def shift_one_year(moment: datetime.datetime) -> datetime.datetime:
    """The same Beijing wall-clock time one year later; 29 February becomes 28 February."""
    local = timezone.localtime(moment)
    year = local.year + 1
    day = local.day
    if local.month == 2 and day == 29 and not calendar.isleap(year):
        day = 28
    naive = local.replace(tzinfo=None).replace(year=year, day=day)
    return timezone.make_aware(naive, timezone.get_current_timezone())


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
