"""Writes on works. ``lifecycle.transition_work`` is the only code that changes a work's state.

- :mod:`.lifecycle` ``transition_work``, ``work_submit``, ``work_withdraw``
- :mod:`.works` drafts: ``work_create``, ``work_update``
- :mod:`.team` ``invitation_create``, ``invitation_respond``, ``member_remove``
- :mod:`.workfiles` ``workfile_store``, ``workfile_delete``
- :mod:`.editing` the checks every author-side write repeats under the row lock
- :mod:`.identity` the profile a person takes part with

The public services are re-exported here: ``from gongchuang.submissions.services import x``
and ``services.x`` are the way callers (and tests patching ``services.x``) reach them.
"""

from ..selectors import submission_problems
from .lifecycle import transition_work, work_submit, work_withdraw
from .team import invitation_create, invitation_respond, member_remove
from .workfiles import IMAGE_MAX_BYTES, workfile_delete, workfile_store
from .works import ABSTRACT_MAX_CHARS, EDITABLE_FIELDS, work_create, work_update

__all__ = [
    "ABSTRACT_MAX_CHARS",
    "EDITABLE_FIELDS",
    "IMAGE_MAX_BYTES",
    "invitation_create",
    "invitation_respond",
    "member_remove",
    "submission_problems",
    "transition_work",
    "work_create",
    "work_submit",
    "work_update",
    "work_withdraw",
    "workfile_delete",
    "workfile_store",
]
