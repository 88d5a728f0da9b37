"""Masking of personal data for people who may not see it in full."""


def mask_name(name: str) -> str:
    """张三丰 → 张**, Li Lei → L*****: keep the first character only."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_phone(phone: str) -> str:
    """13810786816 → 138****6816."""
    digits = (phone or "").strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_text(value: str, keep: int = 2) -> str:
    """北京市第一中学 → 北京*****: for schools and other identifying strings."""
    value = (value or "").strip()
    if len(value) <= keep:
        return "*" * len(value)
    return value[:keep] + "*" * (len(value) - keep)
