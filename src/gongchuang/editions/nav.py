# The committee reaches the edition settings from its dashboard panel (see dashboard.py).
