"""What the later apps hold of a category, asked before a settings change could break it.

Editions sits below submissions, judging and finals, so it cannot read their tables.
Each of them registers here, from its ``AppConfig.ready``, a check answering whether
it holds something of a category (``submitted`` works, ``scored`` rubric dimensions),
and submissions registers the student's new-work form for the committee's preview and
the count of works waiting for school confirmation (the option is not turned off under them).
"""

from collections.abc import Callable

from .models import Category, Edition

_HOLDERS: dict[str, list[Callable[[Category], bool]]] = {"submitted": [], "scored": []}
# ``count(edition) -> int`` of the works waiting for their school's confirmation (submissions).
_awaiting_school: list[Callable[[Edition], int]] = []
_student_form: list[Callable] = []


def register_holder(kind: str, check: Callable[[Category], bool]) -> None:
    """Register ``check(category) -> bool`` for ``kind`` ("submitted" or "scored")."""
    _HOLDERS[kind].append(check)


def category_holds(kind: str, category: Category) -> bool:
    return any(check(category) for check in _HOLDERS[kind])


def register_student_form(build: Callable) -> None:
    """``build(category)`` returns the (unbound) form a student fills to start a work."""
    _student_form[:] = [build]


def student_form(category: Category):
    return _student_form[0](category)


def register_awaiting_school(count: Callable[[Edition], int]) -> None:
    """``count(edition)``: how many of the edition's works wait for school confirmation."""
    _awaiting_school[:] = [count]


def awaiting_school_count(edition: Edition) -> int:
    return sum(count(edition) for count in _awaiting_school)
