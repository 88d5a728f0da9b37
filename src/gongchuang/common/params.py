"""Reading ids from a request's parameters."""


def posted_id(data, name: str) -> int | None:
    """``data[name]`` as a positive integer id, or None (missing, or anything else: a lookup by
    None finds nothing, so the view answers 404 instead of failing on a hostile value)."""
    value = str(data.get(name, "")).strip()
    return int(value) if value.isdigit() and len(value) < 19 else None
