"""The score scale of an edition: one setting for the online review and the final.

Every rubric dimension is scored with a whole number from ``score_min`` (0 or 1, the
edition setting, 0 by default as the final always had) to ``SCORE_MAX`` (10); a sheet's
total is Σ weight × score / SCORE_MAX, i.e. 0–100 when the weights add up to 100. Both
the expert's review form and the judges' sheets draw the same −/＋ stepper from it.
"""

from __future__ import annotations

SCORE_MAX = 10
SCALE_MINIMA = (0, 1)
DEFAULT_SCORE_MIN = 0


def score_scale(edition) -> tuple[int, int]:
    """(lowest, highest) whole score of ``edition``'s rubric dimensions."""
    low = (getattr(edition, "settings", None) or {}).get("score_min", DEFAULT_SCORE_MIN)
    return (int(low) if int(low) in SCALE_MINIMA else DEFAULT_SCORE_MIN), SCORE_MAX
