"""A category, its materials and its rubric, as the committee edits them (no raw JSON)."""

import re

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongchuang.accounts.enums import Level

from ..enums import MaterialKind, Track
from ..models import Category

MB = 1024 * 1024
TEXTAREA = forms.Textarea(attrs={"rows": 2})


class CategoryForm(forms.Form):
    code = forms.CharField(
        label=pgettext_lazy("category", "Code"),
        max_length=32,
        validators=[
            RegexValidator(r"^[a-z][a-z0-9_]*$", _("Use lower-case letters, digits and _."))
        ],
        help_text=_("Used in addresses and exports; cannot change later, e.g. ai_music."),
    )
    short_code = forms.CharField(
        label=_("Short code"),
        max_length=8,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9]*$", _("Use capital letters and digits."))],
        help_text=_("Starts the category's work codes, e.g. MUS."),
    )
    track = forms.ChoiceField(label=_("Track"), choices=Track.choices)
    name = forms.CharField(label=pgettext_lazy("category", "Name"), max_length=60)
    description = forms.CharField(label=_("Description"), widget=TEXTAREA, required=False)
    eligible_levels = forms.MultipleChoiceField(
        label=_("Eligible education levels"),
        choices=Level.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Students only; teaching cases are open to every teacher."),
    )
    max_authors = forms.IntegerField(label=_("Maximum authors"), min_value=1, max_value=10)
    max_advisors = forms.IntegerField(label=_("Maximum advisors"), min_value=0, max_value=5)
    unit_quota = forms.IntegerField(
        label=_("Recommendations per unit"),
        min_value=1,
        required=False,
        help_text=_("Empty: the category has no quota and its recommendations count against none."),
    )

    def __init__(self, *args, category: Category | None = None, **kwargs):
        if category is not None:
            kwargs.setdefault("initial", {
                f: getattr(category, f) for f in (
                    "code", "short_code", "track", "name", "description", "eligible_levels",
                    "max_authors", "max_advisors", "unit_quota",
                )
            })  # fmt: skip
        super().__init__(*args, **kwargs)
        if category is not None:
            self.fields["code"].disabled = True

    def clean(self):
        data = super().clean()
        if data.get("track") == Track.TEACHER:
            data["eligible_levels"] = []
        elif "eligible_levels" in data and not data["eligible_levels"]:
            self.add_error("eligible_levels", _("Choose at least one education level."))
        return data


class MaterialForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    label = forms.CharField(
        label=_("Material"),
        max_length=120,
        help_text=_("As students see it, e.g. 作品说明（PDF）."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Accepted file types"),
        choices=MaterialKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    max_mb = forms.IntegerField(label=_("Size limit (MB)"), min_value=1, max_value=4096)
    required = forms.BooleanField(label=pgettext_lazy("material", "Required"), required=False)
    multiple = forms.BooleanField(label=_("Several files allowed"), required=False)
    allows_link = forms.BooleanField(label=_("A link may replace the file"), required=False)

    def material(self) -> dict:
        data = self.cleaned_data
        return {
            "key": data["key"],
            "label": data["label"],
            "kinds": list(data["kinds"]),
            "max_bytes": data["max_mb"] * MB,
            "required": data["required"],
            "multiple": data["multiple"],
            "allows_link": data["allows_link"],
        }


class KeptFormsMixin:
    def kept_forms(self) -> list:
        """Forms of existing rows and filled extra rows, without the ones marked deleted."""
        deleted = set(map(id, self.deleted_forms))
        return [
            form for i, form in enumerate(self.forms)
            if (i < self.initial_form_count() or form.has_changed()) and id(form) not in deleted
        ]  # fmt: skip


class BaseMaterialFormSet(KeptFormsMixin, forms.BaseFormSet):
    def materials(self) -> list[dict]:
        """The kept materials in order; a new one gets a fresh key (``m1``, ``m2``, …)."""
        kept = self.kept_forms()
        taken = {f.cleaned_data["key"] for f in kept if f.cleaned_data["key"]}
        result, n = [], 0
        for form in kept:
            material = form.material()
            if not material["key"]:
                n += 1
                while f"m{n}" in taken:
                    n += 1
                material["key"] = f"m{n}"
                taken.add(material["key"])
            result.append(material)
        return result

    def clean(self):
        if any(self.errors):
            return
        if not self.kept_forms():
            raise forms.ValidationError(_("A category needs at least one material."))

    def form_for(self, key: str):
        return next((f for f in self.forms if f.cleaned_data.get("key") == key), None)


MaterialFormSet = forms.formset_factory(
    MaterialForm, formset=BaseMaterialFormSet, extra=2, can_delete=True
)


def material_initial(materials: list[dict]) -> list[dict]:
    return [{**m, "max_mb": -(-m["max_bytes"] // MB)} for m in materials]


ANCHOR_LINE = re.compile(r"^\s*(\d+)\s*[:：=]\s*(.+?)\s*$")


class RubricForm(forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=pgettext_lazy("rubric", "Dimension"), max_length=60)
    weight = forms.IntegerField(
        label=_("Weight"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    description = forms.CharField(label=_("Description"), widget=TEXTAREA, required=False)
    anchors = forms.CharField(
        label=_("Score anchors"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One per line: a score from 1 to 10, a colon, what it means. E.g. 7：良好"),
    )

    def clean_anchors(self) -> dict:
        anchors = {}
        for line in self.cleaned_data["anchors"].splitlines():
            if not line.strip():
                continue
            match = ANCHOR_LINE.match(line)
            if not match or not 1 <= int(match[1]) <= 10:
                raise forms.ValidationError(
                    _("“%(line)s” is not of the form “score: meaning” with a score from 1 to 10."),
                    params={"line": line.strip()},
                )
            anchors[str(int(match[1]))] = match[2]
        return dict(sorted(anchors.items(), key=lambda item: int(item[0])))

    def dimension(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("pk", "name", "weight", "description", "anchors")}


class BaseRubricFormSet(KeptFormsMixin, forms.BaseFormSet):
    def dimensions(self) -> list[dict]:
        return [form.dimension() for form in self.kept_forms()]

    def clean(self):
        if any(self.errors):
            return
        total = sum(d["weight"] for d in self.dimensions())
        if total != 100:
            raise forms.ValidationError(
                _("The weights add up to %(total)d; they must add up to 100."),
                params={"total": total},
            )


RubricFormSet = forms.formset_factory(
    RubricForm, formset=BaseRubricFormSet, extra=2, can_delete=True
)


def rubric_initial(category: Category) -> list[dict]:
    return [
        {
            "pk": d.pk,
            "name": d.name,
            "weight": d.weight,
            "description": d.description,
            "anchors": "\n".join(f"{score}：{text}" for score, text in d.anchors.items()),
        }
        for d in category.rubric.all()
    ]
