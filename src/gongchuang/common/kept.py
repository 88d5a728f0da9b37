"""What a process keeps in memory for a moment must be dropped when its rows change.

Used by ``editions.selectors`` (the current edition) and ``accounts.kept_users`` (signed-in
people): a save or delete through the models drops the copy at once and again when the
transaction commits (a request in between may have read the old rows). Other processes
see the change when their copy expires.
"""

from collections.abc import Callable

from django.db import transaction
from django.db.models.signals import post_delete, post_save


def forget_on_change(forget: Callable[[object], None], *models, uid: str) -> None:
    """Call ``forget(instance)`` whenever an instance of ``models`` is saved or deleted,
    and again once the surrounding transaction commits."""

    def receiver(sender, instance, **_kwargs):
        forget(instance)
        transaction.on_commit(lambda: forget(instance))

    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(
                receiver, sender=model, weak=False, dispatch_uid=f"{uid}-{model._meta.label}"
            )
