from gongchuang.accounts.enums import Role
from gongchuang.common.registry import dashboard_panel

from .enums import PENDING_OBJECTION_STATES
from .models import Objection, PublicityList


@dashboard_panel(roles={Role.COMMITTEE}, template="publicity/panels/objections.html", order=60)
def objections_panel(request, edition):
    if edition is None:
        return None
    return {
        "pending": Objection.objects.filter(
            entry__publicity_list__edition=edition, state__in=list(PENDING_OBJECTION_STATES)
        ).count(),
        "open_lists": PublicityList.objects.filter(edition=edition, final_at__isnull=True).count(),
    }
