"""The dashboard's maintained figures as a whole: recount them, compare them.

The works' figures are ``submissions.counts``, the review progress ``judging.counts``;
each keeps its rows in the transaction of every change. :func:`rebuild` recounts both
from scratch (``manage.py rebuild_counts``), :func:`differences` says where the kept rows
and a recount disagree (the property test, ``seed_demo``'s closing check).
"""

from gongchuang.editions.models import Edition
from gongchuang.judging import counts as judging_counts
from gongchuang.submissions import counts as work_counts

PARTS = {
    "works": work_counts,
    "reviews": judging_counts,
}


def rebuild(edition_ids: list[int] | None = None) -> dict[int, int]:
    """Recount the figures of ``edition_ids`` (every edition when None); rows per edition."""
    if edition_ids is None:
        edition_ids = list(Edition.objects.order_by("pk").values_list("pk", flat=True))
    return {pk: sum(part.rebuild(pk) for part in PARTS.values()) for pk in edition_ids}


def differences(edition_id: int) -> list[str]:
    """Each figure whose kept row differs from a recount, as text (empty: all equal)."""
    out = []
    for name, part in PARTS.items():
        kept, counted = part.maintained(edition_id), part.recount(edition_id)
        for kept_rows, counted_rows in zip(kept, counted, strict=True):
            for key in sorted(set(kept_rows) | set(counted_rows), key=repr):
                if kept_rows.get(key) != counted_rows.get(key):
                    out.append(
                        f"{name} {key}: kept {kept_rows.get(key)}, counted {counted_rows.get(key)}"
                    )
    return out
