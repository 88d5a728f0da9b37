from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gongchuang.accounts.access import permission_required
from gongchuang.common.errors import DomainError

from ..forms import CategoryForm, MaterialFormSet, RubricFormSet
from ..forms.categories import MB, material_initial, rubric_initial
from ..models import Category, Edition
from ..services import CategoryChangeRefused, category_update, rubric_replace
from ..services import category_create as create
from ..usage import student_form


def _category(pk: int) -> Category:
    return get_object_or_404(Category.objects.select_related("edition"), pk=pk)


def _values(form, materials) -> dict:
    return {**form.cleaned_data, "materials": materials.materials()}


def _place_refusals(exc: CategoryChangeRefused, form, materials) -> None:
    """Each reason next to the field it concerns (a material's field for a material)."""
    for refusal in exc.refusals:
        target = materials.form_for(refusal.key) if refusal.key else form
        if target is None:
            form.add_error(None, refusal.message)
        else:
            target.add_error(
                refusal.field if refusal.field in target.fields else None, refusal.message
            )


@permission_required("editions.manage")
def category_create(request, slug: str):
    edition = get_object_or_404(Edition, slug=slug)
    form = CategoryForm(request.POST or None, initial={"max_authors": 1, "max_advisors": 2})
    materials = MaterialFormSet(request.POST or None, prefix="materials")
    if request.method == "POST" and form.is_valid() and materials.is_valid():
        try:
            category = create(edition=edition, actor=request.user, values=_values(form, materials))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The category has been added. Now set its rubric."))
            return redirect("editions:rubric_edit", pk=category.pk)
    context = {"form": form, "materials": materials, "edition": edition, "category": None}
    return render(request, "editions/category_form.html", context)


@permission_required("editions.manage")
def category_edit(request, pk: int):
    category = _category(pk)
    form = CategoryForm(request.POST or None, category=category)
    initial = material_initial(category.materials)
    materials = MaterialFormSet(request.POST or None, prefix="materials", initial=initial)
    if request.method == "POST" and form.is_valid() and materials.is_valid():
        try:
            category_update(category=category, actor=request.user, values=_values(form, materials))
        except CategoryChangeRefused as exc:
            _place_refusals(exc, form, materials)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The category has been saved."))
            return redirect("editions:settings", slug=category.edition.slug)
    context = {"form": form, "materials": materials, "edition": category.edition,
               "category": category}  # fmt: skip
    return render(request, "editions/category_form.html", context)


@permission_required("editions.manage")
def rubric_edit(request, pk: int):
    category = _category(pk)
    formset = RubricFormSet(request.POST or None, prefix="rubric", initial=rubric_initial(category))
    if request.method == "POST" and formset.is_valid():
        try:
            rubric_replace(category=category, actor=request.user, dimensions=formset.dimensions())
        except DomainError as exc:
            formset._non_form_errors = formset.error_class([exc.message])
        else:
            messages.success(request, _("The rubric has been saved."))
            return redirect("editions:settings", slug=category.edition.slug)
    context = {"formset": formset, "category": category, "edition": category.edition}
    return render(request, "editions/rubric_form.html", context)


@permission_required("editions.manage")
def category_preview(request, pk: int):
    """The student's new-work form and materials list for this category, read-only."""
    category = _category(pk)
    form = student_form(category)
    for field in form.fields.values():
        field.disabled = True
    materials = [{**m, "max_mb": -(-m["max_bytes"] // MB)} for m in category.materials]
    context = {"form": form, "category": category, "edition": category.edition,
               "materials": materials}  # fmt: skip
    return render(request, "editions/category_preview.html", context)
