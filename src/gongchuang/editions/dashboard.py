from django.urls import reverse

from gongchuang.common.registry import dashboard_panel


@dashboard_panel(roles={"committee"}, template="editions/panels/edition.html", order=5)
def edition_panel(request, edition):
    if edition is None:
        return None
    return {"edition": edition, "url": reverse("editions:settings", args=[edition.slug])}
