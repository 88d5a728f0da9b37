"""Dashboard tables read from the judging and finals apps, and the list of results.

Which works reached the final is the finals app's own definition (``FINAL_STATES``).
A package: the review progress and score tables (``review``), the finalist and award
tables and the list of results (``awards``); the public names are re-exported here.
"""

from .awards import award_tables, results_list
from .review import SCORE_BUCKETS, SCORE_CACHE_SECONDS, review_tables

__all__ = [
    "SCORE_BUCKETS",
    "SCORE_CACHE_SECONDS",
    "award_tables",
    "results_list",
    "review_tables",
]
