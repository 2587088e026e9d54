"""Time-based one-time codes (RFC 6238), the second factor staff may turn on.

Standard parameters (HMAC-SHA1, six digits, 30-second steps), so any authenticator app works.
A code is accepted one step early or late for clocks that drift, and never twice: the last step
used is stored, so a code seen over someone's shoulder is worthless once it has been used.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
clock = time.time  # tests move it forward instead of waiting half a minute


def new_secret() -> str:
    """160 random bits in base32, the form authenticator apps accept."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def code_at(secret: str, step: int) -> str:
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10 ** DIGITS).zfill(DIGITS)


def current_step(now: float | None = None) -> int:
    return int((clock() if now is None else now) // STEP_SECONDS)


def matching_step(secret: str, code: str, after: int | None, now: float | None = None) -> int | None:
    """The step ``code`` belongs to, if it is valid now and newer than step ``after``."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    step = current_step(now)
    for candidate in range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1):
        if (after is None or candidate > after) and hmac.compare_digest(code_at(secret, candidate), code):
            return candidate
    return None


def provisioning_uri(secret: str, account: str, issuer: str = "Kvifor") -> str:
    label = quote(f"{issuer}:{account}", safe=":")
    return f"otpauth://totp/{label}?" + urlencode({"secret": secret, "issuer": issuer, "digits": DIGITS,
                                                     "period": STEP_SECONDS})


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it in by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
