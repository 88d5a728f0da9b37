"""Star-level allocation for groups of 1, 7, 20 and 173 finalists with ties (rule: stars.py)."""

from collections import Counter
from decimal import Decimal

import pytest

from gongchuang.finals.enums import StarLevel
from gongchuang.finals.stars import allocate_star_levels, cut_counts

FIVE, FOUR, THREE = StarLevel.FIVE, StarLevel.FOUR, StarLevel.THREE


def _levels(scores, shares=None):
    result = allocate_star_levels(scores, shares)
    return Counter(result.values()), result


def test_group_of_one_gets_one_five_star():
    counts, result = _levels({"a": 61.5})
    assert result == {"a": FIVE}
    assert counts == Counter({FIVE: 1})


def test_group_of_seven_rounds_half_up_on_cumulative_cuts():
    # cuts: round(1.05)=1, round(3.5)=4 (half up), 7
    scores = {f"w{i}": 90 - i for i in range(7)}
    counts, result = _levels(scores)
    assert counts == Counter({FIVE: 1, FOUR: 3, THREE: 3})
    assert result["w0"] == FIVE and result["w3"] == FOUR and result["w4"] == THREE


def test_group_of_seven_tie_at_five_star_cut_goes_up():
    scores = {"a": 95, "b": 95, "c": 80, "d": 79, "e": 78, "f": 77, "g": 76}
    counts, result = _levels(scores)
    assert result["a"] == result["b"] == FIVE
    # four-star cut stays at 4 cumulative: c, d are four-star
    assert counts == Counter({FIVE: 2, FOUR: 2, THREE: 3})


def test_group_of_twenty_without_ties():
    scores = {i: 100 - i for i in range(20)}
    counts, result = _levels(scores)
    assert counts == Counter({FIVE: 3, FOUR: 7, THREE: 10})
    assert [result[i] for i in (2, 3, 9, 10)] == [FIVE, FOUR, FOUR, THREE]


def test_group_of_twenty_tie_across_four_star_cut_moves_all_tied_up():
    scores = {i: 100 - i for i in range(20)}
    # ranks 9, 10, 11 (0-based) tied: cut at 10 would split them
    scores[9] = scores[11] = 90.004  # equal to 90.00 at two decimals
    scores[10] = 90.001
    counts, result = _levels(scores)
    assert result[9] == result[10] == result[11] == FOUR
    assert counts == Counter({FIVE: 3, FOUR: 9, THREE: 8})


def test_group_of_173_default_shares_and_a_tie_at_the_five_star_cut():
    scores = {i: Decimal(1000 - i) / 10 for i in range(173)}
    counts, _ = _levels(scores)
    assert cut_counts(173, {"five": 15, "four": 35, "three": 50}) == [26, 87, 173]
    assert counts == Counter({FIVE: 26, FOUR: 61, THREE: 86})

    # ranks 24..28 share one score: 26 five-stars would split them → 29 five-stars
    for i in range(24, 29):
        scores[i] = Decimal("97.60")
    counts, result = _levels(scores)
    assert counts == Counter({FIVE: 29, FOUR: 58, THREE: 86})
    assert {result[i] for i in range(24, 29)} == {FIVE}
    assert result[29] == FOUR


def test_tie_spanning_two_cuts_stays_in_the_higher_level():
    # 20 finalists, everyone from rank 1 to 12 equal: the five-star cut (3) extends to 13,
    # deeper than the four-star cut (10), so no four-star work at all.
    scores = {0: 99.0, **{i: 90.0 for i in range(1, 13)}, **{i: 80.0 - i for i in range(13, 20)}}
    counts, _ = _levels(scores)
    assert counts == Counter({FIVE: 13, THREE: 7})


def test_all_equal_scores_all_five_star():
    counts, _ = _levels({i: 70 for i in range(7)})
    assert counts == Counter({FIVE: 7})


def test_shares_below_hundred_leave_the_rest_without_a_star():
    counts, result = _levels({i: 100 - i for i in range(20)}, {"five": 10, "four": 20, "three": 30})
    assert counts == Counter({FIVE: 2, FOUR: 4, THREE: 6, None: 8})
    assert result[19] is None


def test_empty_group():
    assert allocate_star_levels({}) == {}


@pytest.mark.parametrize("n", [1, 2, 3, 7, 20, 50, 173])
def test_levels_follow_the_ranking(n):
    scores = {i: (i * 37) % 101 for i in range(n)}
    result = allocate_star_levels(scores)
    order = {FIVE: 0, FOUR: 1, THREE: 2, None: 3}
    ranked = sorted(scores, key=lambda k: scores[k], reverse=True)
    assert [order[result[k]] for k in ranked] == sorted(order[result[k]] for k in ranked)
    # equal scores always share a level
    for a in scores:
        for b in scores:
            if scores[a] == scores[b]:
                assert result[a] == result[b]
