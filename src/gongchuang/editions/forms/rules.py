"""The edition's rules: expert reviews, star shares, final weights, publicity (公示)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..defaults import DEFAULT_SETTINGS
from ..scale import DEFAULT_SCORE_MIN, SCORE_MAX

PERCENT = {"min_value": 0, "max_value": 100}
STARS = ("five", "four", "three")
WEIGHTS = ("presentation", "task", "online")
# Plain numbers kept under their own key, and the defaults of those not in DEFAULT_SETTINGS
# (``judging.selectors.DEFAULT_DISAGREEMENT``).
SIMPLE = (
    "disagreement_threshold", "similarity_text_percent", "similarity_image_percent", "score_min",
)  # fmt: skip
DEFAULTS = {"disagreement_threshold": 20, "score_min": DEFAULT_SCORE_MIN}


class EditionRulesForm(forms.Form):
    reviews_per_work = forms.IntegerField(
        label=_("Experts per work in the online review"), min_value=1, max_value=10
    )
    disagreement_threshold = forms.IntegerField(
        label=_("Disagreement that calls for a further expert (points)"),
        min_value=1,
        max_value=100,
        help_text=_("Spread of one work's calibrated scores, on the 100-point scale."),
    )
    score_min = forms.TypedChoiceField(
        label=_("Score scale of the rubric dimensions"),
        coerce=int,
        choices=[(0, f"0–{SCORE_MAX}"), (1, f"1–{SCORE_MAX}")],
        help_text=_(
            "One scale for the experts' online review and the judges' sheets at the final "
            "(whole numbers, the same −/＋ control)."
        ),
    )
    practice_required = forms.BooleanField(
        label=_("Experts must finish the practice round first"),
        required=False,
        help_text=_(
            "When on, an expert's assigned works open only after they scored the practice "
            "works of their categories; otherwise the practice is optional."
        ),
    )
    similarity_text_percent = forms.IntegerField(
        label=_("Text similarity flagged as a possible duplicate (%)"), min_value=50, max_value=100
    )
    similarity_image_percent = forms.IntegerField(
        label=_("Image similarity flagged as a possible duplicate (%)"), min_value=76, max_value=100
    )
    star_five = forms.IntegerField(label=_("Five-star share (%)"), **PERCENT)
    star_four = forms.IntegerField(label=_("Four-star share (%)"), **PERCENT)
    star_three = forms.IntegerField(
        label=_("Three-star share (%)"),
        help_text=_("Shares of each group's finalists; together at most 100."),
        **PERCENT,
    )
    weight_presentation = forms.IntegerField(label=_("Weight of the presentation"), **PERCENT)
    weight_task = forms.IntegerField(label=_("Weight of the on-site task"), **PERCENT)
    weight_online = forms.IntegerField(
        label=_("Weight of the online review score"),
        help_text=_("The final score's weights; together exactly 100."),
        **PERCENT,
    )
    publicity_working_days = forms.IntegerField(
        label=_("Publicity period of finalist lists (working days)"),
        min_value=0,
        max_value=30,
        help_text=_(
            "Objections are accepted from logged-in persons with their real name until the "
            "period ends; later objections are refused."
        ),
    )
    award_publicity_working_days = forms.IntegerField(
        label=_("Publicity period of award lists (working days)"),
        min_value=0,
        max_value=30,
        help_text=_("0: the list becomes final at publication, objections are still checked."),
    )

    @staticmethod
    def initial_for(settings: dict) -> dict:
        values = {**DEFAULT_SETTINGS, **(settings or {})}
        initial = {k: int(values.get(k, DEFAULTS.get(k))) for k in SIMPLE}
        initial["practice_required"] = bool(values.get("practice_required", False))
        initial.update({
            "reviews_per_work": values["reviews_per_work"],
            "publicity_working_days": values["publicity_working_days"],
            "award_publicity_working_days": values.get(
                "award_publicity_working_days", values["publicity_working_days"]
            ),
        })  # fmt: skip
        stars = {**DEFAULT_SETTINGS["star_shares"], **values["star_shares"]}
        weights = {**DEFAULT_SETTINGS["final_weights"], **values["final_weights"]}
        initial.update({f"star_{k}": stars[k] for k in STARS})
        initial.update({f"weight_{k}": weights[k] for k in WEIGHTS})
        return initial

    def clean(self):
        data = super().clean()
        stars = [data.get(f"star_{k}") for k in STARS]
        if None not in stars and sum(stars) > 100:
            self.add_error("star_three", _("The star shares add up to more than 100%."))
        weights = [data.get(f"weight_{k}") for k in WEIGHTS]
        if None not in weights and sum(weights) != 100:
            self.add_error("weight_online", _("The final score weights must add up to 100."))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "reviews_per_work": data["reviews_per_work"],
            "star_shares": {k: data[f"star_{k}"] for k in STARS},
            "final_weights": {k: data[f"weight_{k}"] for k in WEIGHTS},
            "publicity_working_days": data["publicity_working_days"],
            "award_publicity_working_days": data["award_publicity_working_days"],
            "practice_required": bool(data.get("practice_required")),
            **{k: data[k] for k in SIMPLE},
        }
