"""Who may review what: conflicts and candidate pairs for the solver (pure NumPy/SciPy).

``conflict_matrix`` marks the conflicted works x experts pairs in one sparse product of
organisation incidence matrices (the schools and units of a work's people meet the
expert's own and declared ones) plus the listed forbidden pairs.
``candidates_from_vectors`` keeps each work's top-K non-conflicted experts by cosine
affinity, in row chunks on a few threads so memory stays bounded for 100k x 3k juries;
``assignment.solve`` is optimal over the candidates it is given.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def incidence(groups: list[set[int]] | list[list[int]], n_orgs: int) -> sp.csr_matrix:
    """Rows = items, columns = organisation ids, 1 where the item belongs."""
    lengths = np.fromiter((len(g) for g in groups), dtype=np.int64, count=len(groups))
    cols = np.fromiter((o for g in groups for o in g), dtype=np.int64, count=int(lengths.sum()))
    rows = np.repeat(np.arange(len(groups), dtype=np.int64), lengths)
    data = np.ones(cols.size, dtype=np.int32)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(groups), n_orgs))


def _pair_matrix(
    pairs: tuple[npt.ArrayLike, npt.ArrayLike], shape: tuple[int, int]
) -> sp.csr_matrix:
    """Sparse works x experts matrix with a 1 at each listed (work, expert) pair."""
    fw = np.asarray(pairs[0], np.int64)
    fe = np.asarray(pairs[1], np.int64)
    return sp.csr_matrix((np.ones(fw.size, np.int32), (fw, fe)), shape=shape)


def conflict_matrix(
    work_groups: list[set[int]] | list[list[int]],
    expert_groups: list[set[int]] | list[list[int]],
    *,
    forbidden: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
) -> sp.csr_matrix:
    """Sparse works x experts matrix, nonzero where the pair is conflicted.

    A pair conflicts when the work's organisation set (schools/units of its
    authors and advisors) meets the expert's (own unit plus declared ones), or
    when it is listed in ``forbidden`` (declared works, own advised works).
    Computed as one sparse product of incidence matrices, not pair by pair.
    """
    n_orgs = 1 + max(
        [max(g) for g in work_groups if len(g)] + [max(g) for g in expert_groups if len(g)] + [0]
    )
    conflicts = incidence(work_groups, n_orgs) @ incidence(expert_groups, n_orgs).T
    if forbidden is not None:
        conflicts = conflicts + _pair_matrix(forbidden, conflicts.shape)
    conflicts = sp.csr_matrix(conflicts)
    conflicts.sum_duplicates()
    return conflicts


def candidates_from_vectors(
    work_vecs: npt.ArrayLike,
    expert_vecs: npt.ArrayLike,
    *,
    top_k: int = 30,
    work_groups: list[set[int]] | list[list[int]] | None = None,
    expert_groups: list[set[int]] | list[list[int]] | None = None,
    forbidden: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
    conflicts: sp.csr_matrix | None = None,
    chunk_elems: int = 1 << 22,
    workers: int | None = None,
) -> tuple[IntArray, IntArray, FloatArray]:
    """Each work's ``top_k`` non-conflicted experts by cosine affinity.

    Returns parallel arrays (work_idx, expert_idx, affinity), affinity clipped
    to [0, 1]. Works are processed in row chunks of about ``chunk_elems``
    matrix entries (float32), ``workers`` threads at a time (default: up to 4
    cores), so memory stays bounded for 100k x 3k juries.
    Conflicts come from ``conflicts`` (a precomputed ``conflict_matrix``, the
    groups are then ignored) or from the groups, plus ``forbidden`` pairs. A
    work with fewer than ``top_k`` allowed experts gets all of them.
    """
    wv = _unit_rows(work_vecs)
    ev = _unit_rows(expert_vecs)
    n_works, n_experts = wv.shape[0], ev.shape[0]
    if conflicts is None and (work_groups is not None or forbidden is not None):
        wg = work_groups if work_groups is not None else [[] for _ in range(n_works)]
        eg = expert_groups if expert_groups is not None else [[] for _ in range(n_experts)]
        conflicts = conflict_matrix(wg, eg, forbidden=forbidden)
    elif conflicts is not None and forbidden is not None:
        conflicts = sp.csr_matrix(conflicts + _pair_matrix(forbidden, conflicts.shape))
    kk = min(top_k, n_experts)
    chunk = max(1, chunk_elems // max(n_experts, 1))

    def top_of_chunk(start: int) -> tuple[IntArray, IntArray, FloatArray]:
        return _top_of_chunk(wv, ev, conflicts, kk, start, min(start + chunk, n_works))

    # argpartition dominates and releases the GIL, so threads scale with cores;
    # memory stays bounded at about `workers` chunks in flight.
    with ThreadPoolExecutor(max_workers=workers or min(4, os.cpu_count() or 1)) as pool:
        parts = list(pool.map(top_of_chunk, range(0, n_works, chunk)))
    if not parts:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float64)
    out_w, out_e, out_a = zip(*parts, strict=True)
    return np.concatenate(out_w), np.concatenate(out_e), np.concatenate(out_a)


def _unit_rows(vectors: npt.ArrayLike) -> npt.NDArray[np.float32]:
    """The rows scaled to length 1 (float32), so a dot product is the cosine."""
    v = np.asarray(vectors, dtype=np.float32)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


def _top_of_chunk(
    wv: npt.NDArray[np.float32],
    ev: npt.NDArray[np.float32],
    conflicts: sp.csr_matrix | None,
    kk: int,
    start: int,
    stop: int,
) -> tuple[IntArray, IntArray, FloatArray]:
    """The ``kk`` best allowed experts of works ``start:stop`` as (work, expert, affinity)."""
    n_experts = ev.shape[0]
    sim = wv[start:stop] @ ev.T
    if conflicts is not None:
        block = conflicts[start:stop].tocoo()
        sim[block.row, block.col] = -np.inf
    if kk < n_experts:
        # Partition for the largest kk in place (no negated copy of the block).
        top = np.argpartition(sim, n_experts - kk, axis=1)[:, n_experts - kk :]
    else:
        top = np.broadcast_to(np.arange(n_experts), sim.shape)
    rows = np.broadcast_to(np.arange(stop - start)[:, None], top.shape)
    vals = sim[rows, top]
    keep = np.isfinite(vals)
    return (
        (rows[keep] + start).astype(np.int64),
        top[keep].astype(np.int64),
        np.clip(vals[keep], 0.0, 1.0).astype(np.float64),
    )
