"""Help from the level above: find a person in reach, send a reset link, give a one-time
password (shown once), lift a lockout. Who is in reach: accounts.helpdesk."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongchuang.common.errors import DomainError

from .. import helpdesk
from ..access import permission_required
from ..models import User

PAGE_SIZE = 25


def _person(request, pk: int) -> User:
    """The person asked for (404 for no such account; the permission decides the reach)."""
    try:
        return User.objects.get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc


def _rows(people) -> list[dict]:
    locked = helpdesk.locked_names(people)
    return [{"person": p, "locked": p.pk in locked, **helpdesk.describe(p)} for p in people]


@permission_required("accounts.help_person")
def people(request):
    query = request.GET.get("q", "").replace("\x00", "").strip()[:60]
    page = Paginator(helpdesk.people_matching(request.user, query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "query": query,
        "page_obj": page,
        "rows": _rows(page.object_list),
        "query_string": urlencode({"q": query}) if query else "",
    }
    return render(request, "accounts/helpdesk/people.html", context)


def _back(request):
    """Back to the list, with the search the helper came from."""
    query = request.POST.get("q", "").replace("\x00", "").strip()[:60]
    url = reverse("accounts:people")
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


def _act(request, pk, action, done: str):
    person = _person(request, pk)
    try:
        action(actor=request.user, person=person)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done % {"name": person.display_name})
    return _back(request)


@require_POST
@permission_required("accounts.help_person", obj=_person)
def person_unlock(request, pk: int):
    return _act(request, pk, helpdesk.account_unlock, _("%(name)s can log in again."))


@require_POST
@permission_required("accounts.help_person", obj=_person)
def person_reset_link(request, pk: int):
    def send(*, actor, person):
        helpdesk.reset_link_send(actor=actor, person=person, request=request)

    return _act(request, pk, send, _("A link to set a new password was sent to %(name)s."))


@never_cache
@require_POST
@permission_required("accounts.help_person", obj=_person)
def person_one_time_password(request, pk: int):
    """Shows the new one-time password once (never stored, never shown again)."""
    person = _person(request, pk)
    try:
        password = helpdesk.one_time_password_give(actor=request.user, person=person)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(request)
    context = {"person": person, "password": password, **helpdesk.describe(person)}
    response = render(request, "accounts/helpdesk/one_time_password.html", context)
    response["Cache-Control"] = "no-store"
    return response
