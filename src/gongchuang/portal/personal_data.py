"""The questions a person asked on teaching cases (``accounts.personal_data``): exported,
erased with the account (their free text may name the person), moved on a merge."""

from gongchuang.accounts.personal_data import PersonalDataSource, register_source

from .models import CaseQuestion


def questions_of(user) -> list[dict]:
    return [
        {
            "case": q.work.title,
            "question": q.text,
            "status": q.status,
            "asked_at": q.created_at.isoformat(),
        }
        for q in CaseQuestion.objects.filter(asked_by=user).select_related("work")
    ]


def questions_erase(user) -> None:
    CaseQuestion.objects.filter(asked_by=user).delete()


def questions_merge(dup, kept) -> dict[str, int]:
    moved = CaseQuestion.objects.filter(asked_by=dup).update(asked_by=kept)
    return {"case_questions": moved} if moved else {}


register_source(
    PersonalDataSource(
        key="case_questions",
        export=questions_of,
        erase=questions_erase,
        merge=questions_merge,
        order=70,
    )
)
