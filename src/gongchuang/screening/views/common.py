"""Helpers shared by the screening views: access decorators and queue plumbing."""

from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gongchuang.accounts.access import permission_required
from gongchuang.common import spreadsheets
from gongchuang.common.fields import is_id
from gongchuang.common.paginator import BoundedPaginator
from gongchuang.editions.selectors import current_edition

from .. import selectors
from ..forms import ImportForm
from ..spreadsheets import export_works, import_columns, import_decisions

PAGE_SIZE = 25


def edition_page(perm: str):
    """A page of the current edition's review: needs ``perm`` (accounts.access), passes
    ``edition`` to the view, 404 when there is no current edition."""

    def decorator(view):
        @permission_required(perm)
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            edition = current_edition()
            if edition is None:
                raise Http404
            return view(request, *args, edition=edition, **kwargs)

        return wrapped

    return decorator


def paginate(request, qs):
    return BoundedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def query_string(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def xlsx_response(data: bytes, *, prefix: str) -> HttpResponse:
    """``prefix`` is the file name's translated start (作品列表): RFC 5987 for Chinese names."""
    return spreadsheets.xlsx_response(data, name=prefix)


def selected_ids(request) -> list[int]:
    return [int(v) for v in request.POST.getlist("works") if is_id(v)]


def import_template(stage: str) -> HttpResponse:
    name = _("decisions-import-template")
    return spreadsheets.template_response(import_columns(stage), name=name)


def import_sheet_page(request, *, queue, stage, success_url: str):
    """Shared body of the unit and city "import decisions" pages (all-or-nothing import)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_decisions(
            form.cleaned_data["file"], queue=queue, actor=request.user, stage=stage
        )
        if result.ok:
            messages.success(request, _("%(n)s decision(s) imported.") % {"n": result.applied})
            return redirect(success_url)
    return render(
        request, "screening/import.html", {"form": form, "result": result, "stage": stage}
    )


def queue_context(request, *, edition, queue, filter_form, decisions) -> dict:
    """The context of a stage's queue page: filters, one page of works, bulk decisions."""
    form = filter_form(request, edition)
    works = selectors.filter_queue(queue(request.user, edition=edition), form.filters())
    return {
        "form": form,
        "page_obj": paginate(request, works),
        "query_string": query_string(request),
        "bulk_decisions": decisions,
        "edition": edition,
    }


def sheet_views(*, perm: str, queue, stage: str, queue_url: str, filter_form, export_name):
    """The export, decision-import and template views of one review stage's queue.

    ``queue(user, edition=…)`` is the stage's queue selector, ``filter_form(request,
    edition)`` its filter form, ``export_name`` the (lazy) translated file name.
    """

    @edition_page(perm)
    def export(request, *, edition):
        form = filter_form(request, edition)
        works = selectors.filter_queue(queue(request.user, edition=edition), form.filters())
        return xlsx_response(export_works(works, viewer=request.user), prefix=str(export_name))

    @edition_page(perm)
    def import_sheet(request, *, edition):
        return import_sheet_page(
            request,
            queue=queue(request.user, edition=edition),
            stage=stage,
            success_url=queue_url,
        )

    @edition_page(perm)
    def import_template_download(request, *, edition):
        return import_template(stage)

    return export, import_sheet, import_template_download
