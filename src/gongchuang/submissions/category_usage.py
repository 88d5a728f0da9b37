"""Tells editions what submissions hold of a category (editions.usage): submitted works
freeze a category's rules to widening only; the preview shows the student's form; works
waiting for their school keep the school confirmation option on."""

from gongchuang.editions import usage

from .enums import WorkState
from .forms import WorkCreateForm
from .models import Work

UNSUBMITTED = (WorkState.DRAFT, WorkState.WITHDRAWN)


def _has_submitted_works(category) -> bool:
    return Work.objects.filter(category=category).exclude(state__in=UNSUBMITTED).exists()


def _awaiting_school(edition) -> int:
    return Work.objects.filter(edition=edition, state=WorkState.AWAITING_SCHOOL).count()


def _new_work_form(category):
    return WorkCreateForm(categories=[category], initial={"category": category.pk})


usage.register_holder("submitted", _has_submitted_works)
usage.register_student_form(_new_work_form)
usage.register_awaiting_school(_awaiting_school)
