"""What counts as an e-mail address and as a name, for every form, import and command.

Kept here once: an address check that let ``kari@example.test,bob.no`` through made two
recipients of one, and a name with a line break in it broke the subject line of every e-mail the
organisation sent.
"""
from __future__ import annotations

import re
import unicodedata

# One address: a dot-atom local part (no quotes, commas or spaces) and a domain of host labels.
_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})",
    re.IGNORECASE,
)
# Characters that change how text is laid out or read rather than what it says.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_email(text: str) -> bool:
    """Whether ``text`` is exactly one e-mail address."""
    local, _, domain = text.rpartition("@")
    return len(text) <= 254 and len(local) <= 64 and _EMAIL.fullmatch(text) is not None


def has_control_characters(text: str) -> bool:
    """Line breaks, tabs and other control or direction characters, which no name holds."""
    return any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI_CONTROLS for ch in text)
