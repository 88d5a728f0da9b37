"""Who may do what in the expert review (registered with django-rules; see accounts.access)."""

import rules

from gongchuang.accounts.access import is_committee, is_expert

# Juries, assignment, calibration, finalists: the committee's pages.
rules.add_perm("judging.manage", is_committee)
# The expert's own pages (each work page also needs the pledge and an assignment).
rules.add_perm("judging.review", is_expert)
# A work's discussion among its experts and the committee (who exactly: selectors.discussion),
# and the panel lead's page (only the lead of a jury gets past the object check).
rules.add_perm("judging.discuss", is_committee | is_expert)
rules.add_perm("judging.lead", is_expert)
# The practice round: the committee manages sample works and sees every expert's deviations;
# an expert scores the samples of their categories and sees only their own deviations.
rules.add_perm("judging.practice_manage", is_committee)
rules.add_perm("judging.practice", is_expert)
