"""Kvifor's text and statistics library: plain Python and scikit-learn, no Flask.

Components follow scikit-learn's conventions (parameters in ``__init__``, ``fit`` /
``transform`` / ``predict``, learned attributes ending in ``_``, a ``random_state``).
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources as _package_files

__version__ = "0.1.0"


@lru_cache(maxsize=1)
def code_version() -> str:
    """``0.1.0+<hash>``: the version plus a hash of the library's code and word lists, so a stored
    analysis run says exactly which rules and lexicon produced it."""
    digest = hashlib.sha256()
    root = _package_files.files("analysis")
    files = sorted((p for p in _walk(root) if p.name.endswith((".py", ".txt", ".tsv", ".yaml"))),
                   key=lambda p: str(p))
    for path in files:
        digest.update(str(path.relative_to(root) if hasattr(path, "relative_to") else path.name).encode())
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def _walk(folder):
    for entry in folder.iterdir():
        if entry.is_dir():
            if entry.name != "__pycache__":
                yield from _walk(entry)
        else:
            yield entry
