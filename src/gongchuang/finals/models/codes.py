"""Codes people type or read aloud (check-in, certificate verification)."""

import secrets

# No 0/O, 1/I/L: nothing to confuse when read aloud or typed from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code(length: int = 10) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
