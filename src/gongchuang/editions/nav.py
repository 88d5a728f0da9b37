# The committee reaches the edition settings from its dashboard panel (see dashboard.py).
# The start page's deadlines ("待办") are an editions dashboard panel too (dashboard.py);
# the current edition reaches lower floors through common.registry.register_edition_source.
