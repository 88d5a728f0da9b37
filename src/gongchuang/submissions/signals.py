from django.dispatch import Signal

# Sent after commit whenever a work changes state: kwargs work, actor, reason.
work_state_changed = Signal()
