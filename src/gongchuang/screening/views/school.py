"""The school coordinator's confirmation (学校确认): queue with bulk confirm, one work."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import School
from gongchuang.accounts.privacy import display_name_for
from gongchuang.common.errors import DomainError
from gongchuang.editions.enums import Step
from gongchuang.submissions.enums import AuthorRole, WorkState

from .. import school_selectors as sel
from .. import selectors
from ..enums import SCHOOL_QUEUE_STATES
from ..forms import QueueFilterForm, SchoolReturnForm
from ..school import school_confirm, school_confirm_bulk, school_return
from .common import edition_page, paginate, query_string, selected_ids

AWAITING = WorkState.AWAITING_SCHOOL


def _filter_form(request, edition):
    school_ids = request.user.school_ids_for(Role.SCHOOL_COORDINATOR)
    schools = School.objects.filter(pk__in=school_ids)
    # Opened without filters (a page number aside): what is waiting for the school.
    data = request.GET if set(request.GET) - {"page"} else {"state": AWAITING}
    form = QueueFilterForm(data, edition=edition, states=SCHOOL_QUEUE_STATES, schools=schools)
    if len(school_ids) < 2:
        del form.fields["school"]
    return form


@edition_page("screening.school_confirm")
def queue(request, *, edition):
    form = _filter_form(request, edition)
    scope = sel.school_queue(request.user, edition=edition)
    works = selectors.with_people(selectors.filter_queue(scope, form.filters()))
    page = paginate(request, works)
    for work in page.object_list:
        work.author_names = "、".join(
            display_name_for(request.user, a.user)
            for a in work.authorships.all()
            if a.role == AuthorRole.AUTHOR
        )
    context = {
        "form": form,
        "page_obj": page,
        "query_string": query_string(request),
        "edition": edition,
        "window": edition.window(Step.SCHOOL_CONFIRMATION),
        "window_open": edition.is_open(Step.SCHOOL_CONFIRMATION),
        "waiting": scope.filter(state=AWAITING).count(),
    }
    return render(request, "screening/school_queue.html", context)


@edition_page("screening.school_confirm")
def work_view(request, pk: int, *, edition):
    """One work: confirm it (a button, asked first) or return it with a reason."""
    work = sel.work_for_school(request.user, edition=edition, pk=pk)
    work.edition = edition
    confirming = request.POST.get("decision") == "confirm"
    form = SchoolReturnForm(None if confirming else (request.POST or None))
    if request.method == "POST" and (confirming or form.is_valid()):
        try:
            if confirming:
                school_confirm(work=work, actor=request.user)
                done = _("%(code)s has been confirmed and sent to the unit review.")
            else:
                school_return(work=work, actor=request.user, reason=form.cleaned_data["reason"])
                done = _("%(code)s has been returned to its authors.")
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("screening:school_work", pk=work.pk)
        messages.success(request, done % {"code": work.code})
        return redirect("screening:school_queue")
    return render(request, "screening/school_work.html", _work_context(request, work, form))


def _work_context(request, work, form) -> dict:
    authors, advisors = selectors.authors_and_advisors(work)
    return {
        "work": work,
        "form": form,
        "authors": [display_name_for(request.user, a.user) for a in authors],
        "advisors": [display_name_for(request.user, a.user) for a in advisors],
        "files": list(work.files.all()),
        "precheck": getattr(work, "precheck", None),
        "findings": selectors.describe_findings(work),
        "reviews": sel.school_reviews(work),
        "window_open": work.edition.is_open(Step.SCHOOL_CONFIRMATION),
    }


@edition_page("screening.school_confirm")
@require_POST
def bulk(request, *, edition):
    scope = sel.school_queue(request.user, edition=edition)
    ids = set(selected_ids(request))
    works = list(scope.filter(pk__in=ids))
    if len(works) != len(ids):
        raise Http404  # another school's work (or a draft): it does not exist for them
    try:
        confirmed, skipped = school_confirm_bulk(works=works, actor=request.user, edition=edition)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)s work(s) confirmed.") % {"n": confirmed})
        if skipped:
            messages.warning(
                request,
                _("%(n)s selected work(s) were no longer waiting and were left as they are.")
                % {"n": skipped},
            )
    back = request.POST.get("back", "")
    return redirect(reverse("screening:school_queue") + (f"?{back}" if back else ""))
