"""Writes for incidents: open, respond, change severity, mitigate, close, RCA, advisory time.

Every function takes the acting person's scope and the instant (``at``) explicitly; the CLI's
``--at`` and the worker's ``--now`` pass them in, so that events logged after the fact and
tests need no clock.
"""

from unisupport.incidents.services.lifecycle import (
    change_severity,
    close,
    fulfil_customer_action,
    log_advisory_time,
    mitigate,
    request_customer_action,
    respond,
    set_state,
)
from unisupport.incidents.services.opening import open_incident
from unisupport.incidents.services.reviews import (
    ask_rca_document,
    provide_rca_document,
    request_post_incident_review,
    request_rca,
)

__all__ = [
    "ask_rca_document",
    "change_severity",
    "close",
    "fulfil_customer_action",
    "log_advisory_time",
    "mitigate",
    "open_incident",
    "provide_rca_document",
    "request_customer_action",
    "request_post_incident_review",
    "request_rca",
    "respond",
    "set_state",
]
