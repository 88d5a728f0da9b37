from django.dispatch import Signal

# Sent after commit whenever a work changes state:
# kwargs work, actor, reason, source (previous state).
work_state_changed = Signal()

# Sent after commit when someone is invited onto a work's team: kwargs authorship, inviter.
team_invitation_created = Signal()
