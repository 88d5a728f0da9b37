"""Experts and juries for the judging tests, built through real services (works:
``tests.factories.works``)."""

import itertools

from gongchuang.judging import services
from tests.factories import people

_seq = itertools.count(1)


def expert(*, committee, name="专家", expertise="", unit=None, school=None, max_load=30):
    n = next(_seq)
    user = services.expert_upsert(
        real_name=f"{name}{n}",
        mobile=f"139{n:08d}",
        email=f"expert{n}@example.cn",
        organisation="北京示范大学",
        unit=unit,
        school=school,
        expertise=expertise,
        categories=["ai_art"],
        levels=[],
        max_load=max_load,
        actor=committee,
    )
    user.set_password(people.PASSWORD)
    user.save()
    return user


def published_jury(edition, *, experts, committee, k=2, category="ai_art"):
    """A jury of ``experts`` for the qualified works of ``category``, solved and published
    (its assignments are visible to the experts)."""
    jury = services.jury_create(
        edition=edition,
        category=edition.categories.get(code=category),
        members=experts,
        actor=committee,
        k=k,
    )
    services.jury_solve(jury=jury, actor=committee)
    services.jury_publish(jury=jury, actor=committee)
    return jury
