"""The demo's finalist list under publicity, with one pending objection (idempotent)."""

from gongchuang.common.registry import demo_seeder
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

from .enums import ListKind
from .models import PublicityList
from .services import objection_file, publicity_publish


@demo_seeder(order=60)
def seed_publicity(demo) -> None:
    edition = demo.edition
    if PublicityList.objects.filter(edition=edition).exists():
        return
    # The finals seeder may already have moved every finalist on to an award.
    kind, state, title = ListKind.FINALIST, WorkState.FINALIST, "决赛入围名单公示"
    if not Work.objects.filter(edition=edition, state=state).exists():
        kind, state, title = ListKind.AWARD, WorkState.AWARDED, "获奖名单公示"
    works = list(Work.objects.filter(edition=edition, state=state).order_by("code"))
    committee = demo.users.get("committee")
    if not works or committee is None:
        return
    publicity = publicity_publish(
        edition=edition,
        kind=kind,
        title=f"{edition.name}{title}",
        actor=committee,
        works=works,
    )
    objector = demo.users.get("teacher")
    if objector is not None:
        objection_file(
            entry=publicity.entries.first(),
            objector=objector,
            reason="该作品的主体画面与往届获奖作品高度相似，疑似未注明来源，请组委会核查原创性。",
            contact="13800000001",
        )
