"""The moment outputs are dated with: SOURCE_DATE_EPOCH when set (reproducible builds), read
in one place so that every format agrees on what a value means and on what is refused."""

from __future__ import annotations

import datetime as dt
import os

from ncm_toolkit.errors import UsageError
from ncm_toolkit.safe_text import term

LATEST = 253402300799
"""The last second of 9999-12-31 (UTC): later dates cannot be written in ISO form."""


def source_date() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as a naive UTC datetime, or None when it is unset or empty. Anything
    else than a whole number of seconds from 0 to LATEST is refused (UsageError naming the
    variable, exit 2), as the reproducible-builds specification asks: ignoring it would give
    output that silently differs between runs that meant to be identical."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not raw:
        return None
    text = raw.strip()
    # the length first: Python refuses int() of more than 4,300 digits (an internal error)
    digits = text.lstrip("0")
    if (
        not (text.isascii() and text.isdigit())
        or len(digits) > len(str(LATEST))
        or int(digits or "0") > LATEST
    ):
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        raise UsageError(
            f"$SOURCE_DATE_EPOCH: expected whole seconds since 1970-01-01 "
            f"(0 to {LATEST}), got {term(repr(shown))}"
        )
    return dt.datetime.fromtimestamp(int(digits or "0"), dt.UTC).replace(tzinfo=None)
