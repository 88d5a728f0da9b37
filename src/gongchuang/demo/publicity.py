"""The demo's supplementary finalist list under publicity, with one pending objection.

The open final's own finalist list is over and confirmed (the finals seeder): its
sessions may start. This second list (an AI agent finalist added later) is still in its
publicity window with the teacher's objection waiting for the committee (idempotent).
"""

from gongchuang.demo.finals import DEMO_PASSWORD, demo_finalist
from gongchuang.publicity.enums import ListKind
from gongchuang.publicity.models import PublicityList
from gongchuang.publicity.services import objection_file, publicity_publish

SUPPLEMENT = ("final6", "林嘉怡", "北京市海淀区示范中学", "社区养老助手智能体")
TITLE = "决赛入围名单公示（增补）"


def seed_publicity(demo) -> None:
    edition = demo.edition
    committee = demo.users.get("committee")
    done = PublicityList.objects.filter(edition=edition, title__endswith=TITLE).exists()
    if committee is None or done:
        return
    work = demo_finalist(
        edition, SUPPLEMENT, committee, category_code="ai_agent", password=DEMO_PASSWORD
    )
    publicity = publicity_publish(
        edition=edition,
        kind=ListKind.FINALIST,
        title=f"{edition.name}{TITLE}",
        actor=committee,
        works=[work],
    )
    objector = demo.users.get("teacher")
    if objector is not None:
        objection_file(
            entry=publicity.entries.first(),
            objector=objector,
            reason="该作品的主体画面与往届获奖作品高度相似，疑似未注明来源，请组委会核查原创性。",
            contact="13800000001",
        )
