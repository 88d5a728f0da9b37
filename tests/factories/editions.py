"""Archiving an edition for tests the way the committee does it, through the real services."""

import pytest

from gongchuang.common.errors import DomainError
from gongchuang.editions.models import Edition
from gongchuang.editions.services import edition_create_from_defaults, edition_make_current
from gongchuang.reports.services import edition_archive

# What every refused write on an archived edition says (editions.rules.ensure_edition_writable).
ARCHIVED = "本届活动已归档，不能再修改。"


def archive(edition: Edition, *, actor) -> Edition:
    """Make a new edition current, then archive ``edition`` (only a past edition can be).

    ``edition`` keeps its windows, so a refusal can only come from the archive. Objects
    loaded before this call still carry the old edition row: fetch them again.
    """
    successor, _created = edition_create_from_defaults(
        year=edition.year + 1, slug=f"after-{edition.pk}", code=f"A{edition.pk}"
    )
    edition_make_current(edition=successor, actor=actor)
    edition_archive(edition=edition, actor=actor)
    edition.refresh_from_db()
    return edition


def assert_refused_as_archived(write, snapshot) -> None:
    """``write()`` is refused with the archived DomainError and ``snapshot()`` is unchanged."""
    before = snapshot()
    with pytest.raises(DomainError) as err:
        write()
    assert (err.value.code, str(err.value.message)) == ("archived", ARCHIVED)
    assert snapshot() == before
