"""The objections a person filed, for their data export and erasure
(``accounts.personal_data``). Erasing keeps the objection (the committee decided on it)
but drops the contact the objector gave."""

from gongchuang.accounts.personal_data import PersonalDataSource, register_source

from .models import Objection


def objections_of(user) -> list[dict]:
    return [
        {
            "work": o.entry.work.code,
            "reason": o.reason,
            "contact": o.contact,
            "state": o.state,
            "filed_at": o.created_at.isoformat() if o.created_at else None,
            "decision": o.decision_reason,
        }
        for o in Objection.objects.filter(objector=user).select_related("entry__work")
    ]


def objections_erase(user) -> None:
    Objection.objects.filter(objector=user).update(contact="")


register_source(
    PersonalDataSource(key="objections", export=objections_of, erase=objections_erase, order=60)
)
