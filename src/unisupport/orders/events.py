"""What the orders app announces to the apps above it, so that it never imports them.

Why a signal and not an orchestrating service above orders and ledger: the grants are posted inside
the order's writing transaction, once per version as it is written, and every caller of the order
services (CLI, API, portal, demo, tests) must get them; a signal keeps that without a second entry
point that a caller could forget. The ledger, which sits above orders, listens (ledger/apps.py).
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the writing transaction when an order version buys something the ledger may not hold
# yet: a version imported (ORD-9) or a line accepted (ORD-8). Keyword arguments: version, at (the
# aware instant of the write, from the caller's clock), actor.
# A receiver's exception propagates (Signal.send), so a failed grant undoes the write as before.
version_bought = Signal()
