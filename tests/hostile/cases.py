"""All hostile cases, in registration order (see registry.py for the case format)."""

from __future__ import annotations

from . import cases_files, cases_names, cases_sizes, cases_text  # noqa: F401 - importing registers the cases
from .registry import CASES, HostileCase

__all__ = ["CASES", "HostileCase"]
