from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Level, Role
from gongchuang.accounts.models import Membership, School, Unit, User
from gongchuang.common.fields import ModelMultipleIdField, is_id
from gongchuang.editions.models import Category

from .enums import SelectionRule
from .models import ExpertProfile, Jury


def experts_queryset():
    return (
        User.objects.filter(memberships__role=Role.EXPERT)
        .select_related("expert_profile")
        .distinct()
        .order_by("real_name", "pk")
    )


class ExpertChoiceField(ModelMultipleIdField):
    def label_from_instance(self, obj):
        profile = getattr(obj, "expert_profile", None)
        extra = f"（{profile.organisation}）" if profile and profile.organisation else ""
        return f"{obj.display_name}{extra}"


class JuryForm(forms.Form):
    category = forms.ModelChoiceField(queryset=Category.objects.none(), label=_("Category"))
    level = forms.ChoiceField(
        label=_("Education level"),
        choices=[("", _("All levels")), *Level.choices],
        required=False,
    )
    k = forms.IntegerField(
        label=_("Experts per work"), min_value=1, max_value=9, required=False,
        help_text=_("Empty: the edition's setting."),
    )  # fmt: skip
    min_load = forms.IntegerField(label=_("Minimum works per expert"), min_value=0, initial=0)

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = edition.categories.all()


class JurySettingsForm(forms.Form):
    """The jury's review settings (label and help text are the model field's)."""

    peer_scores_visible = Jury._meta.get_field("peer_scores_visible").formfield()


class DiscussionSettingsForm(forms.Form):
    """The jury's panel lead and when its experts join a work's discussion."""

    discussion_after_review = Jury._meta.get_field("discussion_after_review").formfield()
    # A box to type the lead's name or username in (empty: no panel lead), not a list of
    # every member, which would grow with the jury.
    lead = forms.CharField(
        label=Jury._meta.get_field("lead").verbose_name,
        help_text=Jury._meta.get_field("lead").help_text,
        required=False,
        max_length=150,
    )

    def __init__(self, *args, jury, **kwargs):
        super().__init__(*args, **kwargs)
        self.jury = jury

    def clean_lead(self):
        value = self.cleaned_data["lead"].strip()
        return member_named(self.jury, value) if value else None


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ConsensusNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Consensus note"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What the experts agree on, or why they disagree, for the committee's decision."
        ),
    )


def member_candidates(jury: Jury):
    """The ids of the experts who may join ``jury``, oldest account first: those who judge
    its category (no profile, or an empty list of categories, means any), plus its current
    members. Read from the (role, user) index of the memberships in order, the profiles and
    members tested by (hashed) subqueries rather than joins: a page costs the same however
    many people the platform has. (An expert with two expert memberships would take two
    places of a page; the checkboxes list each person once.)"""
    code = jury.category.code
    profiles = ExpertProfile.objects.values("user_id")
    fits = (
        ~Q(user_id__in=profiles)
        | Q(user_id__in=profiles.filter(Q(categories=[]) | Q(categories__icontains=f'"{code}"')))
        | Q(user_id__in=Jury.members.through.objects.filter(jury=jury).values("user_id"))
    )
    return (
        Membership.objects.filter(role=Role.EXPERT)
        .filter(fits)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def candidates_queryset(jury: Jury):
    """The candidate experts as users (validation of the posted choices)."""
    return experts_queryset().filter(pk__in=member_candidates(jury).order_by())


class MembersForm(forms.Form):
    """The jury's experts, chosen a page of candidates at a time.

    ``shown`` lists the candidates of the page the form showed: saving changes only those
    (checked ones join, unchecked ones leave) and keeps the members of the other pages.
    Without ``shown`` the checked experts replace the members outright.
    """

    members = ExpertChoiceField(
        queryset=User.objects.none(),
        label=_("Experts"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    shown = ModelMultipleIdField(
        queryset=User.objects.none(), required=False, widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args, jury, shown=None, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = candidates_queryset(jury)
        self.fields["members"].queryset = candidates
        self.fields["shown"].queryset = candidates
        if shown is not None:
            # An unbound form shows one page (``shown``: the experts' ids): its checkboxes,
            # and which experts it shows.
            ids = list(shown)
            current = set(jury.members.filter(pk__in=ids).values_list("pk", flat=True))
            self.fields["members"].queryset = (
                User.objects.filter(pk__in=ids).select_related("expert_profile").order_by("pk")
            )
            self.initial = {"members": [pk for pk in ids if pk in current], "shown": ids}

    def chosen(self, jury: Jury) -> list[User]:
        """The jury's members after the save (a valid bound form)."""
        checked = {u.pk for u in self.cleaned_data["members"]}
        if "shown" not in self.data:
            ids = checked
        else:
            shown = {u.pk for u in self.cleaned_data["shown"]}
            current = set(jury.members.values_list("pk", flat=True))
            ids = (current - shown) | checked
        return list(User.objects.filter(pk__in=ids))


class AddExpertForm(forms.Form):
    """One more expert for one work, named by username or real name among the jury's
    members (a box to type in: a list of every member per work would grow with the jury)."""

    work = forms.IntegerField(widget=forms.HiddenInput)
    expert = forms.CharField(label=_("Expert (name or username)"), max_length=150)

    def __init__(self, *args, jury, **kwargs):
        super().__init__(*args, **kwargs)
        self.jury = jury

    def clean_expert(self):
        return member_named(self.jury, self.cleaned_data["expert"].strip())


def member_named(jury: Jury, value: str) -> User:
    """The jury's member whose username, else real name (else id), is ``value``; a form
    error when none or several are."""
    members = jury.members.all()
    for match in (Q(username=value), Q(real_name=value)):
        found = list(members.filter(match)[:2])
        if len(found) == 1:
            return found[0]
        if found:
            raise forms.ValidationError(
                _("Several experts of this jury have this name: enter the username.")
            )
    if is_id(value) and (expert := members.filter(pk=int(value)).first()):
        return expert
    raise forms.ValidationError(_("No expert of this jury has this name or username."))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (xlsx)"),
        help_text=_(
            "Columns: 姓名, 手机号, 邮箱, 工作单位, 组织单位代码, 学校, 专业领域关键词, "
            "评审类别, 评审学段, 最大评审量."
        ),
    )


class PledgeForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read the pledge and accept it."),
        error_messages={"required": _("You must accept the pledge to review works.")},
    )


class ConflictForm(forms.Form):
    school = forms.ModelChoiceField(
        queryset=School.objects.select_related("unit"), label=_("School"), required=False
    )
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), label=_("Unit"), required=False)
    work_code = forms.CharField(label=_("Work code"), max_length=32, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        given = [k for k in ("school", "unit", "work_code") if data.get(k)]
        if len(given) != 1:
            raise forms.ValidationError(_("Choose exactly one school, unit or work."))
        return data


class ScoresForm(forms.Form):
    """One whole number per rubric dimension on the edition's scale (the −/＋ steppers)."""

    def __init__(self, *args, rubric, scale: tuple[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        low, high = scale
        scores = {}
        for d in rubric:
            name = f"score_{d.pk}"
            scores[name] = forms.IntegerField(
                label=f"{d.name}（{d.weight}%）",
                min_value=low,
                max_value=high,
                required=False,
                help_text=d.description,
                widget=forms.NumberInput(
                    attrs={
                        "min": low, "max": high, "step": 1, "inputmode": "numeric",
                        "data-dim": d.pk, "data-weight": d.weight,
                    }
                ),
            )  # fmt: skip
        self.fields = {**scores, **self.fields}

    def score_fields(self):
        return [(d, self[f"score_{d.pk}"]) for d in self.rubric]

    def scores(self) -> dict:
        return {str(d.pk): self.cleaned_data.get(f"score_{d.pk}") for d in self.rubric}


class ReviewForm(ScoresForm):
    """The rubric scores, then the two comments."""

    comment_to_committee = forms.CharField(
        label=_("Comment to the committee"), widget=forms.Textarea(attrs={"rows": 4}),
        required=False, max_length=3000,
        help_text=_("Confidential: only the committee reads it, never the authors."),
    )  # fmt: skip
    comment_to_authors = forms.CharField(
        label=_("Comment for the authors (they will read it, anonymously)"),
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000,
        help_text=_(
            "The authors and advisors read this comment without your name, on the review "
            "result and in the growth report after the final. The comment to the committee "
            "above stays confidential."
        ),
    )  # fmt: skip

    def comment_fields(self):
        return [self["comment_to_committee"], self["comment_to_authors"]]


class PracticeWorkForm(ScoresForm):
    """A sample work of the practice round: an existing work by code, or a title."""

    work_code = forms.CharField(label=_("Work code"), max_length=32, required=False)
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False,
        help_text=_("Only when the sample is not a work in the platform."),
    )  # fmt: skip
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
        max_length=2000,
    )  # fmt: skip

    def info_fields(self):
        return [self["work_code"], self["title"], self["description"]]


class SelectionForm(forms.Form):
    level = forms.ChoiceField(label=_("Education level"), choices=Level.choices, required=False)
    rule = forms.ChoiceField(label=_("Rule"), choices=SelectionRule.choices)
    value = forms.FloatField(label=_("Number or share"), min_value=0, initial=10)

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [
            (lv, Level(lv).label if lv else _("All levels")) for lv in levels
        ]
