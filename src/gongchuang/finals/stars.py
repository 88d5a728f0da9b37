"""Star-level allocation (五星 / 四星 / 三星) within one group of finalists. Pure: no database.

The rule, as published to the committee:

1. Finalists of a group (category × level; teaching cases form their own group per
   category) are ranked by combined score, highest first. Scores are compared at
   two decimals: finalists whose combined scores are equal to 0.01 are tied.
2. The shares (edition setting ``star_shares``, default five 15, four 35, three 50,
   in percent of the group's ranked finalists) are turned into *cumulative cut
   counts*: five-star = round(n × s5 / 100), five-or-four = round(n × (s5 + s4) / 100),
   five-to-three = round(n × (s5 + s4 + s3) / 100), rounding half up, capped at n.
   Rounding the cumulative counts (not each level on its own) keeps the total right:
   the levels never add up to more or less than the shares' total.
3. A group with at least one finalist has at least one five-star work.
4. Ties are never split across levels: when the finalist just below a cut has the
   same score as the last one above it, every finalist tied with it moves *up* to the
   higher level (the cut is extended down through the tie). A tie can therefore
   make a higher level larger than its share, never smaller; later cuts are at
   least as deep as earlier ones.
5. Finalists below the last cut get no star level (only possible when the shares add
   up to less than 100).

Example, 7 finalists, default shares: cuts round(1.05)=1, round(3.5)=4, round(7)=7:
1 five-star, 3 four-star, 3 three-star.
"""

from collections.abc import Hashable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from .enums import StarLevel

DEFAULT_SHARES = {"five": 15, "four": 35, "three": 50}
LEVEL_ORDER = (StarLevel.FIVE, StarLevel.FOUR, StarLevel.THREE)
TIE_PRECISION = Decimal("0.01")


def cut_counts(n: int, shares: Mapping[str, float | int]) -> list[int]:
    """Cumulative counts (before tie extension) for five, five+four, five+four+three."""
    counts = []
    cumulative = Decimal(0)
    for level in LEVEL_ORDER:
        cumulative += Decimal(str(shares.get(level.value, 0)))
        raw = (Decimal(n) * cumulative / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        counts.append(min(int(raw), n))
    if n >= 1:
        counts[0] = max(counts[0], 1)
    for i in range(1, len(counts)):
        counts[i] = max(counts[i], counts[i - 1])
    return counts


def allocate_star_levels(
    scores: Mapping[Hashable, float | Decimal], shares: Mapping[str, float | int] | None = None
) -> dict[Hashable, StarLevel | None]:
    """Star level of each key of ``scores`` (key → combined score) under the rule above."""
    shares = shares or DEFAULT_SHARES
    rounded = {k: Decimal(str(v)).quantize(TIE_PRECISION, ROUND_HALF_UP) for k, v in scores.items()}
    # Stable order for equal scores (keys' order of arrival); ties get one level anyway.
    ranked = sorted(rounded, key=lambda k: rounded[k], reverse=True)
    n = len(ranked)
    result: dict[Hashable, StarLevel | None] = dict.fromkeys(ranked)
    start = 0
    deepest = 0
    for level, cut in zip(LEVEL_ORDER, cut_counts(n, shares), strict=True):
        cut = max(cut, deepest)
        # Extend the cut through a tie with the last finalist above it.
        while 0 < cut < n and rounded[ranked[cut]] == rounded[ranked[cut - 1]]:
            cut += 1
        for key in ranked[start:cut]:
            result[key] = level
        start = deepest = max(cut, start)
    return result
