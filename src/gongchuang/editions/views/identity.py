"""The committee's identity page of an edition: the home page's banner and organisers'
logos, the certificates' seal and issuer lines."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongchuang.accounts.access import permission_required
from gongchuang.common.errors import DomainError

from ..enums import ImageKind
from ..forms import EditionImageForm, IssuersForm
from ..models import Edition, EditionImage
from ..services import (
    certificate_issuers,
    edition_image_remove,
    edition_image_upload,
    edition_issuers_update,
)
from ..services.identity import ISSUERS_KEY

SAVED = {
    ImageKind.BANNER: gettext_lazy("The banner has been saved; the home page shows it."),
    ImageKind.LOGO: gettext_lazy("The logo has been added; the home page shows it."),
    ImageKind.SEAL: gettext_lazy("The seal has been saved; new certificates carry it."),
}


def _post_form(request, edition, forms: dict, issuers: IssuersForm):
    """Save the one form that was sent; None when it was refused (errors on the form)."""
    kind = request.POST.get("kind", "")
    form = forms.get(kind)
    if form is None and kind == "issuers":
        if not issuers.is_valid():
            return None
        try:
            edition_issuers_update(edition=edition, actor=request.user, values=issuers.values())
        except DomainError as exc:
            issuers.add_error(None, exc.message)
            return None
        return _("The issuer lines have been saved.")
    if form is None or not form.is_valid():
        return None
    try:
        edition_image_upload(
            edition=edition, kind=kind, upload=form.cleaned_data["file"], actor=request.user,
            name=form.cleaned_data.get("name", ""),
        )  # fmt: skip
    except DomainError as exc:
        form.add_error("file", exc.message)
        return None
    return str(SAVED[ImageKind(kind)])


@permission_required("editions.manage")
def edition_identity(request, slug: str):
    edition = get_object_or_404(Edition, slug=slug)
    posted = request.POST.get("kind") if request.method == "POST" else None
    forms = {
        kind: EditionImageForm(
            request.POST if posted == kind else None,
            request.FILES if posted == kind else None,
            kind=kind,
        )
        for kind in ImageKind.values
    }
    issuers = IssuersForm(
        request.POST if posted == "issuers" else None,
        initial={"issuers": "\n".join((edition.settings or {}).get(ISSUERS_KEY, []))},
    )
    if posted and not edition.is_archived:
        saved = _post_form(request, edition, forms, issuers)
        if saved:
            messages.success(request, saved)
            return redirect("editions:identity", slug=edition.slug)
    images = list(edition.images.all())
    context = {
        "edition": edition,
        "forms": forms,
        "issuers": issuers,
        "printed_issuers": certificate_issuers(edition),
        "banner": next((i for i in images if i.kind == ImageKind.BANNER), None),
        "seal": next((i for i in images if i.kind == ImageKind.SEAL), None),
        "logos": [i for i in images if i.kind == ImageKind.LOGO],
    }
    return render(request, "editions/identity.html", context)


@require_POST
@permission_required("editions.manage")
def edition_image_delete(request, pk: int):
    image = get_object_or_404(EditionImage.objects.select_related("edition"), pk=pk)
    try:
        edition_image_remove(image=image, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The image has been removed."))
    return redirect("editions:identity", slug=image.edition.slug)


@permission_required("editions.manage")
def edition_image(request, pk: int):
    """Any image of an edition for the committee (the seal is not public; the portal
    serves the banner and logos to everyone)."""
    image = get_object_or_404(EditionImage, pk=pk)
    try:
        handle = image.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=image.mime)
    response["Cache-Control"] = "private, max-age=300"
    return response
