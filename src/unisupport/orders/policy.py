"""The policy in force (MC-5 list, ORD-4 threshold, FLX-1 share and floor, DEL-1 lead time)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from unisupport.domain.policy import Policy, default_policy_text, parse_policy


@cache
def current_policy() -> Policy:
    """Return the policy: UNISUPPORT_POLICY_FILE if set, else the one shipped with the package."""
    path = os.environ.get("UNISUPPORT_POLICY_FILE")
    return parse_policy(Path(path).read_text(encoding="utf-8") if path else default_policy_text())
