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

# Sent inside the booking's transaction when an event is booked (EVT-1, EVT-2): the ledger takes one
# of the events the order's line bought. Keyword arguments: event (orders.models.EventCoverage),
# site (the country of the line that pays), at, actor. A refusal propagates and undoes the booking.
event_booked = Signal()

# Sent inside the cancellation's transaction when a booked event is the order's again (cancelled by
# the customer before its first day): the ledger returns the event it took. Keyword arguments:
# event, at, actor.
event_returned = Signal()

# Sent inside the vendor's decision when an approved scenario change carries a fee (EVT-3): the
# ledger bills it to what the order owes. Keyword arguments: event, amount (a Decimal in the
# order's currency), at, actor.
event_fee_charged = Signal()
