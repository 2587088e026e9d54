from datetime import date, datetime, timezone


def utcnow() -> datetime:
    """Naive UTC: SQLite keeps no time zone, so every stored datetime is UTC without one."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def today() -> date:
    return utcnow().date()
