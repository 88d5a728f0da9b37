"""The judge practice round (issue 19 item 3): sample works with reference scores, the
experts' practice scores and deviations, the gate before real assignments, the bias."""

import pytest
from django.urls import reverse

from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.judging import services
from gongchuang.judging.models import ExpertProfile, PracticeScore
from gongchuang.judging.practice import deviations, summarise
from gongchuang.judging.selectors import practice as sel
from tests.factories.works import qualified_work
from tests.judging.helpers import expert, published_jury

pytestmark = pytest.mark.django_db


class Dim:
    def __init__(self, pk, weight):
        self.pk, self.weight = pk, weight


def test_deviation_maths():
    rubric = [Dim(1, 60), Dim(2, 40)]
    rows = deviations(rubric, {"1": 7, "2": 5}, {"1": 5, "2": 6})
    assert [r.deviation for r in rows] == [2, -1]
    dims, total = summarise(
        rubric, [({"1": 7, "2": 5}, {"1": 5, "2": 6}), ({"1": 4, "2": 8}, {"1": 5, "2": 6})]
    )
    assert [(d.mad, d.bias) for d in dims] == [(1.5, 0.5), (1.5, 0.5)]
    # totals: (62-54)=+8 and (56-54)=+2 → +5 on the 100-point scale
    assert total == 5.0
    assert deviations(rubric, {"1": 7}, {"1": 5, "2": 6})[1].deviation is None


@pytest.fixture
def setup(edition, units, roles):
    committee = roles["committee"]
    work = qualified_work(edition, units["cy_school"], committee=committee, title="往届作品")
    category = work.category
    rubric = list(category.rubric.all())
    ref = {str(d.pk): 6 for d in rubric}
    sample = services.practice_work_add(
        edition=edition, category=category, work_code=work.code, reference=ref, actor=committee
    )
    a = expert(committee=committee, name="练习甲")
    services.pledge_accept(expert=a, edition=edition)
    return {"committee": committee, "sample": sample, "rubric": rubric, "ref": ref, "a": a,
            "edition": edition, "work": work}  # fmt: skip


def test_reference_scores_are_validated_in_chinese(setup):
    s = setup
    bad = dict(s["ref"])
    bad[str(s["rubric"][0].pk)] = 11
    with pytest.raises(DomainError) as exc:
        services.practice_work_add(
            edition=s["edition"], category=s["sample"].category, work_code=s["work"].code,
            reference=bad, actor=s["committee"],
        )  # fmt: skip
    assert "0" in exc.value.message and "10" in exc.value.message
    with pytest.raises(DomainError):
        services.practice_work_add(
            edition=s["edition"], category=s["sample"].category, work_code="NOPE-1",
            reference=s["ref"], actor=s["committee"],
        )  # fmt: skip
    assert AuditEvent.objects.filter(action="practice.add").count() == 1


def test_expert_scores_once_and_the_committee_records_the_bias(setup):
    s = setup
    scores = {k: 8 for k in s["ref"]}
    services.practice_score_submit(
        edition=s["edition"], practice_work_pk=s["sample"].pk, scores=scores, actor=s["a"]
    )
    with pytest.raises(DomainError):
        services.practice_score_submit(
            edition=s["edition"], practice_work_pk=s["sample"].pk, scores=scores, actor=s["a"]
        )
    (table,) = sel.deviation_tables(s["edition"])
    (row,) = table.rows
    assert all(d.bias == 2 and d.mad == 2 for d in row.dims)
    assert row.total_bias == 20.0
    assert (
        services.practice_bias_apply(edition=s["edition"], expert=s["a"], actor=s["committee"])
        == 20.0
    )
    assert ExpertProfile.objects.get(user=s["a"]).practice_bias == 20.0
    assert set(
        AuditEvent.objects.filter(action__startswith="practice.").values_list("action", flat=True)
    ) == {"practice.add", "practice.score", "practice.bias"}


def test_gate_only_when_required(setup, client, roles):
    s = setup
    jury = published_jury(s["edition"], experts=[s["a"]], committee=s["committee"], k=1)
    work = jury.assignments.filter(expert=s["a"]).first().work
    client.force_login(s["a"])
    url = reverse("judging:review", args=[work.pk])
    assert not sel.practice_blocks_review(s["a"], s["edition"])
    assert client.get(url).status_code == 200
    s["edition"].settings = {**(s["edition"].settings or {}), "practice_required": True}
    s["edition"].save()
    assert sel.practice_blocks_review(s["a"], s["edition"])
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "judging:practice_score", args=[s["sample"].pk]
    )
    assert "练习" in response.content.decode()
    assert 'data-testid="practice-card"' in client.get(reverse("judging:queue")).content.decode()
    response = client.post(url.rstrip("/") + "/draft/", {})
    assert response.status_code == 403
    client.post(
        reverse("judging:practice_score", args=[s["sample"].pk]),
        {f"score_{k}": 5 for k in s["ref"]},
    )
    assert PracticeScore.objects.filter(expert=s["a"]).exists()
    assert not sel.practice_blocks_review(s["a"], s["edition"])
    assert client.get(url).status_code == 200


def test_permissions(setup, client, roles):
    s = setup
    other = expert(committee=s["committee"], name="练习乙")
    services.practice_score_submit(
        edition=s["edition"], practice_work_pk=s["sample"].pk,
        scores={k: 7 for k in s["ref"]}, actor=s["a"],
    )  # fmt: skip
    manage = reverse("judging:practice")
    page = reverse("judging:practice_score", args=[s["sample"].pk])
    for user in (roles["student"], roles["teacher"], s["a"]):
        client.force_login(user)
        assert client.get(manage).status_code in (403, 404)
    client.force_login(roles["teacher"])
    assert client.get(page).status_code in (403, 404)
    # Another expert sees the sample, but not 甲's scores or deviations.
    client.force_login(other)
    body = client.get(page).content.decode()
    assert 'data-testid="practice-form"' in body and "practice-deviations" not in body
    client.force_login(s["committee"])
    assert "练习甲" in client.get(manage).content.decode()
    response = client.post(manage, {"action": "bias", "expert": s["a"].pk})
    assert response.status_code == 302
    assert ExpertProfile.objects.get(user=s["a"]).practice_bias == 10.0
