from django.dispatch import Signal

# Sent after commit whenever a work changes state: kwargs work, actor, reason, source (previous state).
work_state_changed = Signal()
