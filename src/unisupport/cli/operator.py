"""The CLI's caller: the operator, who acts with the back office's rights on every customer."""

from __future__ import annotations

from unisupport.accounts.roles import Role
from unisupport.accounts.scope import Scope

# The command line runs on the vendor's own machines: its user is the back office, and the
# services check that scope's permissions like any other caller's.
OPERATOR = Scope(None, frozenset(), frozenset({Role.BACK_OFFICE}))


def operator_name() -> str:
    """Return who the records name as having acted: the operating-system user of the CLI."""
    from unisupport.ledger.posting import actor_name  # the ledger's models load after Django is set up

    return actor_name(None)
