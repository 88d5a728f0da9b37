"""The final's side of the award list (``publicity.lists``): the locked results' awards."""

from gongchuang.publicity.lists import FinalAwards, register_final_awards

from .models import FinalEvent


def final_awards(edition) -> FinalAwards | None:
    """The state of ``edition``'s final results and, once locked and not yet published,
    the works with a star level or a special award; None when there is no final."""
    event = FinalEvent.objects.filter(edition=edition).first()
    if event is None:
        return None
    if not event.is_locked or event.is_published:
        return FinalAwards(locked=event.is_locked, published=event.is_published, work_ids=[])
    starred = event.results.exclude(star_level="").values_list("work_id", flat=True)
    special = event.special_awards.values_list("work_id", flat=True)
    return FinalAwards(locked=True, published=False, work_ids=[*starred, *special])


register_final_awards(final_awards)
