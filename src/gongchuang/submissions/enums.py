from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongchuang.common.state import TransitionTable


class WorkState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_SCHOOL = "awaiting_school", _("Awaiting school confirmation")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    SCHOOL_RETURNED = "school_returned", _("Returned by the school")
    UNIT_REJECTED = "unit_rejected", _("Rejected by unit")
    RECOMMENDED = "recommended", _("Recommended by unit")
    CITY_REJECTED = "city_rejected", _("Rejected in city review")
    QUALIFIED = "qualified", _("Qualified")
    REVIEWED = "reviewed", _("Reviewed by experts")
    FINALIST = "finalist", _("Finalist")
    NOT_SELECTED = "not_selected", _("Not selected")
    AWARDED = "awarded", _("Awarded")
    PARTICIPATED = "participated", _("Took part in the final")
    DISQUALIFIED = "disqualified", _("Disqualified")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = WorkState
# DOMAIN.md "Work lifecycle". Withdrawal is possible in any state before qualified.
# With the edition's school confirmation (学校确认) on, a submission waits for its school's
# coordinator first (awaiting_school), who confirms it (→ submitted: the unit's queue) or
# returns it to the authors (school_returned: like returned, but the unit never saw it);
# off, works go straight to submitted as before.
WORK_TRANSITIONS = TransitionTable(
    [
        (S.DRAFT, S.SUBMITTED),
        (S.DRAFT, S.AWAITING_SCHOOL),
        (S.RETURNED, S.AWAITING_SCHOOL),
        (S.AWAITING_SCHOOL, S.SUBMITTED),
        (S.AWAITING_SCHOOL, S.SCHOOL_RETURNED),
        (S.SCHOOL_RETURNED, S.AWAITING_SCHOOL),
        (S.SCHOOL_RETURNED, S.SUBMITTED),  # resubmitted after the option was turned off
        (S.SUBMITTED, S.RETURNED),
        (S.SUBMITTED, S.UNIT_REJECTED),
        (S.SUBMITTED, S.RECOMMENDED),
        (S.RETURNED, S.SUBMITTED),
        (S.RECOMMENDED, S.SUBMITTED),  # unit withdraws its recommendation / city returns to unit
        (S.RECOMMENDED, S.CITY_REJECTED),
        (S.RECOMMENDED, S.QUALIFIED),
        (S.QUALIFIED, S.REVIEWED),
        (S.REVIEWED, S.FINALIST),
        (S.REVIEWED, S.NOT_SELECTED),
        (S.FINALIST, S.AWARDED),
        (S.FINALIST, S.PARTICIPATED),
        (S.FINALIST, S.NOT_SELECTED),  # objection upheld during publicity
        (S.FINALIST, S.DISQUALIFIED),
        (S.AWARDED, S.DISQUALIFIED),
    ]
    + [
        (s, S.WITHDRAWN)
        for s in (
            S.DRAFT,
            S.AWAITING_SCHOOL,
            S.SCHOOL_RETURNED,
            S.SUBMITTED,
            S.RETURNED,
            S.RECOMMENDED,
        )
    ]
)

# The states a submission enters: straight to the unit, or to the school first.
SUBMITTED_STATES = frozenset({S.SUBMITTED, S.AWAITING_SCHOOL})
# States in which authors may edit the work (inside the submission window).
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED, S.SCHOOL_RETURNED})
# States in which a student author's one-work slot is held.
SLOT_RELEASING_STATES = frozenset({S.DRAFT, S.WITHDRAWN})


class AuthorRole(models.TextChoices):
    AUTHOR = "author", _("Author")
    ADVISOR = "advisor", _("Advisor")


class AiTool(models.TextChoices):
    """AI tools offered in the AI-use declaration (others go into the free-text field)."""

    WENXIN = "wenxin", _("ERNIE Bot (Wenxin Yiyan)")
    TONGYI = "tongyi", _("Tongyi Qianwen")
    DOUBAO = "doubao", _("Doubao")
    DEEPSEEK = "deepseek", "DeepSeek"
    KIMI = "kimi", "Kimi"
    ZHIPU = "zhipu", _("Zhipu Qingyan")
    XINGHUO = "xinghuo", _("iFlytek Spark")
    JIMENG = "jimeng", _("Jimeng")
    KELING = "keling", _("Kling")
    MIDJOURNEY = "midjourney", "Midjourney"
    STABLE_DIFFUSION = "stable_diffusion", "Stable Diffusion"
    CHATGPT = "chatgpt", "ChatGPT"
    COZE = "coze", _("Coze")
    OTHER = "other", _("Other (name it below)")


class CaseLicence(models.TextChoices):
    """The licence a teaching case's authors grant on its materials (chosen at submission)."""

    VIEW_ONLY = "view_only", _("View only (no download)")
    CC_BY = "cc_by_4", _("CC BY 4.0 (attribution)")
    CC_BY_NC = "cc_by_nc_4", _("CC BY-NC 4.0 (attribution, non-commercial)")
    CC_BY_NC_SA = "cc_by_nc_sa_4", _("CC BY-NC-SA 4.0 (attribution, non-commercial, share alike)")


#: Licences whose materials the public may download.
DOWNLOADABLE_LICENCES = frozenset(
    {CaseLicence.CC_BY, CaseLicence.CC_BY_NC, CaseLicence.CC_BY_NC_SA}
)


class CaseSubject(models.TextChoices):
    """The school subject a teaching case is taught in."""

    INFORMATION_TECHNOLOGY = "it", pgettext_lazy("school subject", "Information technology")
    MATHEMATICS = "maths", pgettext_lazy("school subject", "Mathematics")
    SCIENCE = "science", pgettext_lazy("school subject", "Science")
    PHYSICS = "physics", pgettext_lazy("school subject", "Physics")
    CHEMISTRY = "chemistry", pgettext_lazy("school subject", "Chemistry")
    BIOLOGY = "biology", pgettext_lazy("school subject", "Biology")
    CHINESE = "chinese", pgettext_lazy("school subject", "Chinese")
    ENGLISH = "english", pgettext_lazy("school subject", "English")
    HISTORY = "history", pgettext_lazy("school subject", "History")
    GEOGRAPHY = "geography", pgettext_lazy("school subject", "Geography")
    ARTS = "arts", pgettext_lazy("school subject", "Arts")
    GENERAL = "general", pgettext_lazy("school subject", "Interdisciplinary")
    OTHER = "other", pgettext_lazy("school subject", "Other subject")


class AiTopic(models.TextChoices):
    """The AI topic (数据 / 算法 / 算力) a teaching case is about."""

    DATA = "data", _("Data")
    ALGORITHM = "algorithm", _("Algorithms")
    COMPUTE = "compute", _("Computing power")
