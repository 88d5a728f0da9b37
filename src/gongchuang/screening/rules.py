"""Who may review what. Views and services ask these; nothing else decides."""

from gongchuang.accounts.enums import Role


def is_unit_organizer(user) -> bool:
    return bool(user.is_authenticated and user.unit_ids_for(Role.UNIT_ORGANIZER))


def is_committee(user) -> bool:
    return bool(user.is_authenticated and user.is_committee)


def can_review_for_unit(user, work) -> bool:
    """A unit organizer reviews works of its own unit(s) only."""
    return user.is_authenticated and work.unit_id in user.unit_ids_for(Role.UNIT_ORGANIZER)


def sees_full_names_of(viewer, *, author_unit_id: int | None) -> bool:
    """Minors' names are shown in full only to their own unit and the committee."""
    if viewer.is_committee:
        return True
    return author_unit_id is not None and author_unit_id in viewer.unit_ids_for(Role.UNIT_ORGANIZER)
