"""Dashboard panels: the expert's progress, the committee's review progress, authors' results."""

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import dashboard_panel
from gongchuang.editions.enums import Step
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.selectors import works_of_user

from . import selectors


@dashboard_panel(roles={Role.EXPERT}, template="judging/panels/expert.html", order=40)
def expert_progress(request, edition):
    if edition is None:
        return None
    return {
        "progress": selectors.expert_progress(request.user, edition),
        "pledged": selectors.has_pledged(request.user, edition),
        "window": edition.window(Step.EXPERT_REVIEW),
        "open": edition.is_open(Step.EXPERT_REVIEW),
    }


@dashboard_panel(roles={Role.COMMITTEE}, template="judging/panels/committee.html", order=40)
def committee_progress(request, edition):
    if edition is None:
        return None
    juries = list(selectors.juries_for_edition(edition))
    return {"juries": juries, "window": edition.window(Step.EXPERT_REVIEW)}


RESULT_STATES = (WorkState.FINALIST, WorkState.NOT_SELECTED)


@dashboard_panel(
    roles={Role.STUDENT, Role.TEACHER}, template="judging/panels/result.html", order=35
)
def review_result(request, edition):
    if edition is None:
        return None
    works = [w for w in works_of_user(request.user, edition=edition) if w.state in RESULT_STATES]
    if not works:
        return None
    comments = selectors.comments_to_authors([w.pk for w in works])
    return {"works": [{"work": w, "comments": comments.get(w.pk, [])} for w in works]}
