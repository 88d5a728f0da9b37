"""Score calibration for expert severity (pure Python: NumPy and SciPy).

Method (shown on the committee page)
------------------------------------
Each jury is calibrated on its own. Experts differ in severity: one gives 70
where another gives 80 to the same work. We model every review score as

    score(work, expert) = quality(work) + offset(expert)                [ridge]
    score(work, expert) = centre + scale(expert) * (quality(work) - centre)
                          + offset(expert)              [ridge, fit_scale=True]

(centre = mean quality) and fit quality and offsets by least squares with a
ridge penalty ``ridge * sum(offset**2)`` (and ``ridge * sum((scale - 1)**2)``),
solved as a sparse linear system (conjugate gradients on the experts' block;
the scale variant alternates with per-expert regressions). ``ridge`` counts
"phantom reviews at offset 0": an expert with n reviews keeps roughly
n / (n + ridge) of the severity the data show, so an expert who saw only a few
works is adjusted cautiously and cannot distort a ranking. A good value is
noise variance / severity variance; the default 1.0 suits 100-point totals
with a review noise and a severity spread of similar size (on the benchmark,
0.3 to 3 all beat the raw mean). ``calibrated`` is the fitted quality, on the raw score scale.

Per-expert z-scores (each expert's scores minus their mean, divided by their
standard deviation, averaged per work and mapped back to the scale as
``mean + sd * z``, with the jury's overall mean and the experts' average sd)
are allowed only when every expert with reviews has at least
``ZSCORE_MIN_WORKS`` (15) works; below that an expert's mean and sd are too
noisy, and asking for them raises ValueError. ``method="auto"`` lets
``choose_method`` pick z-scores whenever they are allowed. The default is
ridge: on the benchmark (bench/calibration.py, 45 works per expert, mild
severity differences) z-scores did not beat the raw mean on top-10 % recall
while ridge did, because z-scores ignore that experts see different works.
The result records which method was used.

Uncertainty: the reviews of each work are resampled with replacement
(``n_boot`` = 200 times, seeded) and the calibration refitted; the band is the
5th-95th percentile of a work's calibrated score, widened if needed to contain
the point estimate. A work with a single review only shows the uncertainty of
its expert's offset. Disagreement: a work is flagged when its highest and lowest
review scores differ by more than ``disagreement_threshold`` points, so the
committee can ask a further expert.

The expert-work graph should be connected and experts should have about 10 or
more works each (see ``assignment.is_connected``); otherwise offsets between
separated groups of experts cannot be told apart from quality.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, cg, spsolve

ZSCORE_MIN_WORKS = 15
Method = Literal["ridge", "zscore"]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class CalibrationResult:
    """Per-work outputs (NaN / rank -1 for works without reviews) and per-expert fit.

    ``rank`` is 1 for the best calibrated score (ties share the lower rank).
    ``expert_offset``/``expert_scale`` are the fitted severities (for z-scores:
    the expert's mean minus the jury mean, and sd ratio).
    """

    method: Method
    raw_mean: FloatArray
    calibrated: FloatArray
    rank: IntArray
    band_low: FloatArray
    band_high: FloatArray
    spread: FloatArray
    disagreement: npt.NDArray[np.bool_]
    expert_offset: FloatArray
    expert_scale: FloatArray


def choose_method(
    expert_idx: npt.ArrayLike, n_experts: int, *, min_works: int = ZSCORE_MIN_WORKS
) -> Method:
    """ "zscore" when every expert who has reviews has >= ``min_works``; else "ridge"."""
    counts = np.bincount(np.asarray(expert_idx, np.int64), minlength=n_experts)
    active = counts[counts > 0]
    return "zscore" if active.size and bool((active >= min_works).all()) else "ridge"


def _solve_schur(
    cross: sp.csr_matrix,
    cross_t: sp.csr_matrix,
    dw: FloatArray,
    de: FloatArray,
    rhs: FloatArray,
    x0: FloatArray,
) -> FloatArray:
    """Solve (diag(de) - cross' diag(1/dw) cross) x = rhs.

    The matrix is symmetric positive definite (ridge > 0), so conjugate
    gradients with a Jacobi preconditioner converge in a few dozen cheap
    matrix-free steps; forming and factorising it fills in badly for
    thousands of experts. A direct solve is the fallback.
    """
    n = de.size

    def matvec(x: FloatArray) -> FloatArray:
        return de * x - cross_t @ ((cross @ x) / dw)

    diag = de - cross_t.multiply(cross_t) @ (1.0 / dw)
    op = LinearOperator((n, n), matvec=matvec, dtype=np.float64)
    jacobi = LinearOperator((n, n), matvec=lambda x: x / diag, dtype=np.float64)
    x, info = cg(op, rhs, x0=x0, rtol=1e-10, atol=0.0, maxiter=10 * n + 100, M=jacobi)
    if info == 0:
        return np.asarray(x)
    schur = sp.diags(de) - cross_t @ sp.diags(1.0 / dw) @ cross
    return np.atleast_1d(spsolve(schur.tocsc(), rhs))


@dataclass(frozen=True)
class _Fit:
    """How one jury is fitted: the method, its settings and the jury's size."""

    method: Method
    n_works: int
    n_experts: int
    ridge: float
    fit_scale: bool

    def __call__(
        self, w: IntArray, e: IntArray, y: FloatArray
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """(quality per work, offset per expert, scale per expert) of the reviews given."""
        if self.method == "zscore":
            return _fit_zscore(w, e, y, self.n_works, self.n_experts)
        return _fit_ridge(w, e, y, self.n_works, self.n_experts, self.ridge, self.fit_scale)


def _fit_ridge(
    w: IntArray,
    e: IntArray,
    y: FloatArray,
    n_works: int,
    n_experts: int,
    ridge: float,
    fit_scale: bool,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Quality, offset, scale by ridge least squares (alternating when fit_scale).

    With a scale the model is ``y = centre + s_e * (q_w - centre) + b_e`` where
    centre is the mean quality, so ``b_e`` stays "severity on an average work"
    instead of trading off against ``s_e`` (scores are far from 0).
    """
    n = y.size
    scale = np.ones(n_experts)
    centre = float(y.mean()) if n else 0.0
    reviewed = np.bincount(w, minlength=n_works) > 0
    count_e = np.bincount(e, minlength=n_experts)
    quality = np.zeros(n_works)
    offset = np.zeros(n_experts)
    for _ in range(25 if fit_scale else 1):
        # Normal equations [[Dw, B], [B', De]] [q; b] = [rw; re] with Dw
        # diagonal (one quality per review row), solved through the experts'
        # Schur complement: an experts x experts system instead of works + experts.
        se = scale[e]
        target = y - centre * (1.0 - se)
        # Unreviewed works have an empty row; a unit diagonal keeps Dw invertible.
        dw = np.bincount(w, se * se, n_works) + ~reviewed
        rw = np.bincount(w, se * target, n_works)
        cross = sp.csr_matrix((se, (w, e)), shape=(n_works, n_experts))
        cross_t = cross.T.tocsr()
        rhs = np.bincount(e, target, n_experts) - cross_t @ (rw / dw)
        offset = _solve_schur(cross, cross_t, dw, count_e + ridge, rhs, offset)
        quality = (rw - cross @ offset) / dw
        if not fit_scale:
            break
        centre = float(quality[reviewed].mean())
        # Per-expert 2x2 ridge regression of (y - centre) on (q - centre),
        # penalised towards scale 1 and offset 0.
        q = quality[w] - centre
        r = y - centre
        sqq = np.bincount(e, q * q, n_experts) + ridge
        sq = np.bincount(e, q, n_experts)
        cnt = np.bincount(e, minlength=n_experts) + ridge
        sqr = np.bincount(e, q * r, n_experts) + ridge
        sr = np.bincount(e, r, n_experts)
        det = sqq * cnt - sq * sq
        scale = (cnt * sqr - sq * sr) / det
        offset = (sqq * sr - sq * sqr) / det
    quality = np.where(reviewed, quality, np.nan)
    return quality, offset, scale


def _fit_zscore(
    w: IntArray, e: IntArray, y: FloatArray, n_works: int, n_experts: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Quality from per-expert z-scores mapped back to the score scale."""
    cnt = np.bincount(e, minlength=n_experts)
    safe = np.maximum(cnt, 1)
    mean_e = np.bincount(e, y, n_experts) / safe
    var_e = np.bincount(e, (y - mean_e[e]) ** 2, n_experts) / np.maximum(cnt - 1, 1)
    sd_e = np.where(var_e > 0, np.sqrt(var_e), 1.0)
    z = (y - mean_e[e]) / sd_e[e]
    sd_all = float(sd_e[cnt > 0].mean())
    per_work = np.bincount(w, minlength=n_works)
    with np.errstate(invalid="ignore", divide="ignore"):
        z_mean = np.bincount(w, z, n_works) / per_work
    quality = y.mean() + sd_all * z_mean
    return quality, mean_e - y.mean(), sd_e / sd_all


def calibrate(
    work_idx: npt.ArrayLike,
    expert_idx: npt.ArrayLike,
    score: npt.ArrayLike,
    *,
    n_works: int,
    n_experts: int,
    method: Method | Literal["auto"] = "ridge",
    ridge: float = 1.0,
    fit_scale: bool = False,
    n_boot: int = 200,
    seed: int = 0,
    disagreement_threshold: float = 20.0,
) -> CalibrationResult:
    """Calibrate one jury's review scores (see module docstring for the method).

    Inputs are parallel arrays, one entry per review (a work's total score
    from one expert). ``method``: "ridge" (default), "zscore" (ValueError
    unless every expert has >= 15 works) or "auto" (``choose_method``). Pure function:
    same inputs and seed give the same output.
    """
    w = np.asarray(work_idx, np.int64)
    e = np.asarray(expert_idx, np.int64)
    y = np.asarray(score, np.float64)
    if ridge <= 0:
        raise ValueError("ridge must be > 0 (it also fixes the offset/quality level)")
    allowed = choose_method(e, n_experts)
    if method == "zscore" and allowed != "zscore":
        raise ValueError(f"z-scores need >= {ZSCORE_MIN_WORKS} works for every expert")
    used: Method = allowed if method == "auto" else method
    fit = _Fit(used, n_works, n_experts, ridge, fit_scale)
    quality, offset, scale = fit(w, e, y)

    per_work = np.bincount(w, minlength=n_works)
    reviewed = per_work > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        raw_mean = np.bincount(w, y, n_works) / per_work
    spread = _spread(w, y, n_works, reviewed)
    rank = np.full(n_works, -1, np.int64)
    rank[reviewed] = _min_rank(-quality[reviewed])
    band_low, band_high = _bootstrap_band(fit, w, e, y, quality, n_boot=n_boot, seed=seed)
    return CalibrationResult(
        method=fit.method,
        raw_mean=raw_mean,
        calibrated=quality,
        rank=rank,
        band_low=band_low,
        band_high=band_high,
        spread=spread,
        disagreement=np.where(reviewed, spread > disagreement_threshold, False),
        expert_offset=offset,
        expert_scale=scale,
    )


def _spread(
    w: IntArray, y: FloatArray, n_works: int, reviewed: npt.NDArray[np.bool_]
) -> FloatArray:
    """Highest minus lowest review score of each work (NaN without reviews)."""
    hi = np.full(n_works, -np.inf)
    lo = np.full(n_works, np.inf)
    np.maximum.at(hi, w, y)
    np.minimum.at(lo, w, y)
    return np.where(reviewed, hi - lo, np.nan)


def _bootstrap_band(
    fit: _Fit,
    w: IntArray,
    e: IntArray,
    y: FloatArray,
    quality: FloatArray,
    *,
    n_boot: int,
    seed: int,
) -> tuple[FloatArray, FloatArray]:
    """5th-95th percentile of each work's calibrated score over ``n_boot`` resamples,
    widened to contain the point estimate ``quality`` (NaN for works without reviews)."""
    n_works = fit.n_works
    per_work = np.bincount(w, minlength=n_works)
    reviewed = per_work > 0
    # Stratified bootstrap: each work keeps its number of reviews, drawn with
    # replacement from its own reviews, so no work drops out of a replicate.
    order = np.argsort(w, kind="stable")
    ws, es, ys = w[order], e[order], y[order]
    start = (np.cumsum(per_work) - per_work)[ws]
    count = per_work[ws]
    rng = np.random.default_rng(seed)
    boots = np.empty((n_boot, n_works))
    for b in range(n_boot):
        pick = start + (rng.random(ws.size) * count).astype(np.int64)
        boots[b] = fit(ws, es[pick], ys[pick])[0]
    band_low = np.full(n_works, np.nan)
    band_high = np.full(n_works, np.nan)
    if n_boot:
        band_low[reviewed] = np.percentile(boots[:, reviewed], 5, axis=0)
        band_high[reviewed] = np.percentile(boots[:, reviewed], 95, axis=0)
    # Percentile bands can miss a skewed point estimate; the page shows both,
    # so the band is widened to contain it.
    return np.fmin(band_low, quality), np.fmax(band_high, quality)


def _min_rank(values: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Ranks 1..n, ties sharing the lowest rank (like scipy's rankdata(method="min")).

    Written with NumPy because importing scipy.stats costs every web worker ~0.6 s
    and tens of MB at start-up.
    """
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]]
    ranks_sorted = np.maximum.accumulate(np.where(first, np.arange(1, len(values) + 1), 0))
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[order] = ranks_sorted
    return ranks
