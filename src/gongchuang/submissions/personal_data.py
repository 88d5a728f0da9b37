"""The works a person is on, for their data export (``accounts.personal_data``), and who
may see a minor's data in full for sharing a work with them (co-authors and advisors).

Erasing an account keeps its works and authorships: results and the one-work rule need
them, and they stop naming the person once the account is anonymised.
"""

from gongchuang.accounts.personal_data import (
    PersonalDataSource,
    register_relation,
    register_source,
)

from .models import Authorship


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _authorships(user):
    return user.authorships.select_related("work__category", "work__edition").prefetch_related(
        "work__files"
    )


def _file_path(work, file) -> str:
    return f"works/{work.code or f'draft-{work.pk}'}/{file.pk}-{file.original_name}"


def _work_data(authorship) -> dict:
    work = authorship.work
    return {
        "edition": work.edition.name,
        "code": work.code,
        "title": work.title,
        "category": work.category.name,
        "role": authorship.role,
        "state": work.state,
        "state_reason": work.state_reason,
        "abstract": work.abstract,
        "keywords": work.keywords,
        "ai_tool_list": work.ai_tool_list,
        "ai_tools": work.ai_tools,
        "ai_generated": work.ai_generated,
        "ai_contribution": work.ai_contribution,
        "ai_process": work.ai_process,
        "submitted_at": _iso(work.submitted_at),
        "showcase_consent": work.showcase_consent,
        "showcase_consent_at": _iso(work.showcase_consent_at),
        "files": [
            {
                "name": f.original_name,
                "size": f.size,
                "sha256": f.sha256,
                "path": _file_path(work, f),
            }
            for f in work.files.all()
        ],
    }


def works_of(user) -> list[dict]:
    return [_work_data(a) for a in _authorships(user)]


def work_files_of(user):
    for authorship in _authorships(user):
        for f in authorship.work.files.all():
            yield _file_path(authorship.work, f), f.file


@register_relation
def shares_a_work(viewer, student) -> bool:
    return Authorship.objects.filter(user=viewer, work__authorships__user=student).exists()


register_source(PersonalDataSource(key="works", export=works_of, files=work_files_of, order=20))
