"""``{% days_left deadline %}``: how long a deadline is away, in whole days at most.

Participants plan in days: a deadline shows its date and "还剩 N 天", never a clock
ticking in seconds (issue 20). Only the final's on-site task keeps a live countdown
(``includes/countdown.html`` with ``precise=True``).
"""

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def days_left(deadline, now=None) -> str:
    """Says "closed", "closes today" or "N days left", counted in calendar days of the site's
    time zone (a deadline tomorrow at 09:00 is "1 day left" whatever the hour now)."""
    if deadline is None:
        return ""
    now = now or timezone.now()
    if deadline <= now:
        return _("closed")
    days = (timezone.localdate(deadline) - timezone.localdate(now)).days
    if days <= 0:
        return _("closes today")
    return ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days}
