"""From the database to the pure solver (``assignment.py``) and back.

``jury_problem`` reads one jury (its works, experts, conflicts, pins) with a
fixed number of queries and builds an ``AssignmentProblem``. Conflicts are
computed set-wise: every work and every expert gets a set of organisation ids
(schools and units, units offset so they never collide with school ids) and
``candidates.conflict_matrix`` intersects them in one sparse product.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Authorship, Work

from . import assignment as solver
from .affinity import affinity_matrix
from .candidates import conflict_matrix
from .enums import MIN_WORKS_FOR_CALIBRATION
from .models import Assignment, ConflictDeclaration, ExpertProfile, Jury

# States in which a work is judged by its jury (qualified works, and reviewed ones
# that keep their reviews while the committee selects finalists).
JUDGED_STATES = (WorkState.QUALIFIED, WorkState.REVIEWED)
# States whose reviews still count in the ranking (after selection, and in the final).
RANKED_STATES = (
    *JUDGED_STATES,
    WorkState.FINALIST,
    WorkState.NOT_SELECTED,
    WorkState.AWARDED,
    WorkState.PARTICIPATED,
)
TOP_K = 30
DEFAULT_MAX_LOAD = 30
_UNIT_OFFSET = 1 << 30  # unit ids live above school ids in the organisation-id space


def jury_works(jury: Jury, *, states=JUDGED_STATES):
    """The works a jury judges (``states``: assignable ones by default)."""
    qs = Work.objects.filter(
        edition_id=jury.edition_id, category_id=jury.category_id, state__in=states
    )
    if jury.level:
        qs = qs.filter(level=jury.level)
    return qs.order_by("pk")


@dataclass
class JuryProblem:
    problem: solver.AssignmentProblem
    work_ids: list[int]
    expert_ids: list[int]
    affinity: np.ndarray  # works × experts, 0 where conflicted
    conflicts: sp.csr_matrix
    kept: list[Assignment]  # pinned or reviewed: survive every re-solve


def _org_ids(*, schools=(), units=()) -> set[int]:
    return {s for s in schools if s} | {_UNIT_OFFSET + u for u in units if u}


def _compress(groups: list[set[int]]) -> list[list[int]]:
    """Map the sparse organisation ids onto 0..n-1 (conflict_matrix sizes by max id)."""
    index: dict[int, int] = {}
    return [[index.setdefault(g, len(index)) for g in group] for group in groups]


def work_org_sets(work_ids: list[int]) -> dict[int, set[int]]:
    """Schools and units of each work and of all its authors and advisors (2 queries)."""
    orgs = {
        w["pk"]: _org_ids(schools=[w["school_id"]], units=[w["unit_id"]])
        for w in Work.objects.filter(pk__in=work_ids).values("pk", "school_id", "unit_id")
    }
    people = Authorship.objects.filter(work_id__in=work_ids).values(
        "work_id",
        "user__student_profile__school_id",
        "user__student_profile__unit_id",
        "user__teacher_profile__school_id",
        "user__teacher_profile__unit_id",
    )
    for p in people:
        orgs[p["work_id"]] |= _org_ids(
            schools=[p["user__student_profile__school_id"], p["user__teacher_profile__school_id"]],
            units=[p["user__student_profile__unit_id"], p["user__teacher_profile__unit_id"]],
        )
    return orgs


def expert_org_sets(expert_ids: list[int]) -> dict[int, set[int]]:
    """Each expert's own school and unit plus the schools and units they declared (2 queries)."""
    orgs: dict[int, set[int]] = {e: set() for e in expert_ids}
    for p in ExpertProfile.objects.filter(user_id__in=expert_ids).values(
        "user_id", "school_id", "unit_id"
    ):
        orgs[p["user_id"]] |= _org_ids(schools=[p["school_id"]], units=[p["unit_id"]])
    for d in ConflictDeclaration.objects.filter(expert_id__in=expert_ids, work__isnull=True).values(
        "expert_id", "school_id", "unit_id"
    ):
        orgs[d["expert_id"]] |= _org_ids(schools=[d["school_id"]], units=[d["unit_id"]])
    return orgs


def forbidden_pairs(jury: Jury, work_ids: list[int], expert_ids: list[int]) -> set[tuple[int, int]]:
    """(work id, expert id) pairs that are never allowed besides organisation conflicts:
    works the expert declared, works the expert authors or advises, pairs the committee forbade."""
    pairs = set(
        ConflictDeclaration.objects.filter(
            expert_id__in=expert_ids, work_id__in=work_ids
        ).values_list("work_id", "expert_id")
    )
    pairs |= set(
        Authorship.objects.filter(user_id__in=expert_ids, work_id__in=work_ids).values_list(
            "work_id", "user_id"
        )
    )
    pairs |= set(
        Assignment.objects.filter(jury=jury, forbidden=True).values_list("work_id", "expert_id")
    )
    # Experts who judge only some levels (profile.levels) never get works of other levels.
    restricted = {
        p["user_id"]: set(p["levels"])
        for p in ExpertProfile.objects.filter(user_id__in=expert_ids).values("user_id", "levels")
        if p["levels"]
    }
    if restricted:
        for work_id, level in Work.objects.filter(pk__in=work_ids).values_list("pk", "level"):
            if level:
                pairs |= {(work_id, e) for e, levels in restricted.items() if level not in levels}
    return pairs


def conflicted_experts(work: Work, expert_ids: list[int]) -> set[int]:
    """Experts among ``expert_ids`` who may not review ``work`` (for manual additions)."""
    work_orgs = work_org_sets([work.pk])[work.pk]
    expert_orgs = expert_org_sets(expert_ids)
    bad = {e for e, orgs in expert_orgs.items() if orgs & work_orgs}
    bad |= set(
        ConflictDeclaration.objects.filter(expert_id__in=expert_ids, work=work).values_list(
            "expert_id", flat=True
        )
    )
    bad |= set(
        Authorship.objects.filter(user_id__in=expert_ids, work=work).values_list(
            "user_id", flat=True
        )
    )
    return bad


def work_text(work: dict) -> str:
    return " ".join([work["title"], work["keywords"], work["abstract"]])


def jury_problem(jury: Jury, *, k: int | None = None) -> JuryProblem:
    """The jury's assignment problem as the solver takes it."""
    works = list(jury_works(jury).values("pk", "title", "keywords", "abstract"))
    work_ids = [w["pk"] for w in works]
    profiles = {
        p.user_id: p
        for p in ExpertProfile.objects.filter(user__in=jury.members.all()).select_related("user")
    }
    expert_ids = sorted(jury.members.values_list("pk", flat=True))
    w_index = {w: i for i, w in enumerate(work_ids)}
    e_index = {e: i for i, e in enumerate(expert_ids)}

    kept = _kept_assignments(jury, work_ids, expert_ids)
    pw = np.array([w_index[a.work_id] for a in kept], np.int64)
    pe = np.array([e_index[a.expert_id] for a in kept], np.int64)
    pa = np.array([min(max(a.affinity, 0.0), 1.0) for a in kept], np.float64)
    conflicts, fw, fe = _conflicts(jury, work_ids, expert_ids, kept=kept)
    expert_texts = [" ".join([profiles[e].expertise if e in profiles else ""]) for e in expert_ids]
    aff = affinity_matrix([work_text(w) for w in works], expert_texts)
    if conflicts.nnz:
        coo = conflicts.tocoo()
        aff[coo.row, coo.col] = 0.0
    cw, ce = _top_candidates(aff, conflicts)
    k_work, min_load, max_load = _load_bounds(jury, k, profiles, expert_ids, len(work_ids), pw, pe)
    problem = solver.AssignmentProblem(
        n_works=len(work_ids),
        n_experts=len(expert_ids),
        k=k_work,
        work_idx=cw,
        expert_idx=ce,
        affinity=aff[cw, ce] if cw.size else np.empty(0),
        min_load=min_load,
        max_load=max_load,
        forbidden_work=fw,
        forbidden_expert=fe,
        pinned_work=pw,
        pinned_expert=pe,
        pinned_affinity=pa,
    )
    return JuryProblem(problem, work_ids, expert_ids, aff, conflicts, kept)


def _kept_assignments(jury: Jury, work_ids: list[int], expert_ids: list[int]) -> list[Assignment]:
    """Pairs every re-solve keeps: pinned by the committee, or already reviewed."""
    return [
        a
        for a in Assignment.objects.filter(
            jury=jury, forbidden=False, work_id__in=work_ids, expert_id__in=expert_ids
        ).select_related("review")
        if a.pinned or hasattr(a, "review")
    ]


def _conflicts(
    jury: Jury, work_ids: list[int], expert_ids: list[int], *, kept: list[Assignment]
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """(works x experts matrix, nonzero where the pair shares an organisation or is
    forbidden; the forbidden pairs' work and expert indices). Kept pairs are never
    forbidden: a review done or a committee pin wins over a later declaration."""
    w_index = {w: i for i, w in enumerate(work_ids)}
    e_index = {e: i for i, e in enumerate(expert_ids)}
    wo, eo = work_org_sets(work_ids), expert_org_sets(expert_ids)
    groups = _compress([wo[w] for w in work_ids] + [eo[e] for e in expert_ids])
    kept_pairs = {(w_index[a.work_id], e_index[a.expert_id]) for a in kept}
    forbidden = [
        (w_index[w], e_index[e])
        for w, e in forbidden_pairs(jury, work_ids, expert_ids)
        if w in w_index and e in e_index and (w_index[w], e_index[e]) not in kept_pairs
    ]
    fw = np.array([f[0] for f in forbidden], np.int64)
    fe = np.array([f[1] for f in forbidden], np.int64)
    conflicts = (
        conflict_matrix(groups[: len(work_ids)], groups[len(work_ids) :], forbidden=(fw, fe))
        if work_ids and expert_ids
        else sp.csr_matrix((len(work_ids), len(expert_ids)))
    )
    return conflicts, fw, fe


def _top_candidates(aff: np.ndarray, conflicts: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Candidates: each work's TOP_K non-conflicted experts by affinity (index arrays)."""
    n_works, n_experts = aff.shape
    allowed = np.ones(aff.shape, bool)
    if conflicts.nnz:
        coo = conflicts.tocoo()
        allowed[coo.row, coo.col] = False
    score = np.where(allowed, aff, -1.0)
    kk = min(TOP_K, n_experts)
    if not (kk and n_works):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    top = np.argsort(-score, axis=1, kind="stable")[:, :kk]
    rows = np.repeat(np.arange(n_works), kk)
    cols = top.ravel()
    ok = allowed[rows, cols]
    return rows[ok].astype(np.int64), cols[ok].astype(np.int64)


def _load_bounds(
    jury: Jury,
    k: int | None,
    profiles: dict[int, ExpertProfile],
    expert_ids: list[int],
    n_works: int,
    pw: np.ndarray,
    pe: np.ndarray,
) -> tuple[int, np.ndarray, np.ndarray]:
    """(k, minimum loads, maximum loads) for the solver, given the kept pairs ``pw``/``pe``."""
    max_load = np.array(
        [profiles[e].max_load if e in profiles else DEFAULT_MAX_LOAD for e in expert_ids], np.int64
    )
    kk_work = jury.k if k is None else k
    # A kept pair may exceed today's k or max load (k lowered, load edited): keep it anyway.
    if pw.size:
        max_load = np.maximum(max_load, np.bincount(pe, minlength=len(expert_ids)))
        kk_work = max(kk_work, int(np.bincount(pw, minlength=n_works).max()))
    # Calibration needs ~10 works per expert: ask for that floor whenever the jury's
    # reviews allow it (k·W / E); the solver relaxes it if conflicts make it infeasible.
    share = (kk_work * n_works) // max(len(expert_ids), 1)
    floor = max(jury.min_load, min(MIN_WORKS_FOR_CALIBRATION, share))
    min_load = np.minimum(floor, max_load)
    return kk_work, min_load, max_load
