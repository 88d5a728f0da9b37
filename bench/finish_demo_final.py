"""Run the demo's open final to the end, as the committee and the judge ``expert`` would.

``manage.py shell -c "exec(open('bench/finish_demo_final.py').read())"`` after seed_demo
(``./scripts/cluster`` does it, so that a finalist has a certificate to download): ``expert``
scores the sheets still open, the committee computes and locks the results, publishes the
award list (the demo edition's award publicity lasts 0 working days), confirms it final and
publishes the results — the same services the pages call. Prints the number of certificates.
"""

from gongchuang.accounts.models import User
from gongchuang.demo.finals import score_sheets
from gongchuang.finals import services
from gongchuang.finals.models import Certificate, FinalEvent, SessionParticipant
from gongchuang.publicity.enums import ListKind
from gongchuang.publicity.services import publicity_confirm_final, publicity_publish

committee = User.objects.get(username="committee")
judge = User.objects.get(username="expert")
event = FinalEvent.objects.get(edition__slug="demo")
for participant in (
    SessionParticipant.objects.filter(session__event=event, session__judge_links__judge=judge)
    .select_related("session", "work__category")
    .order_by("pk")
):
    score_sheets(
        judge, participant.session, participant.work, presentation=8, task=8, key="cluster"
    )
services.results_compute(event=event, actor=committee)
event = services.results_lock(event=event, actor=committee)
award_list = publicity_publish(
    edition=event.edition, kind=ListKind.AWARD, title="获奖名单公示", actor=committee
)
publicity_confirm_final(publicity=award_list, actor=committee)
services.results_publish(event=event, actor=committee)
print(Certificate.objects.filter(event=event).count())
