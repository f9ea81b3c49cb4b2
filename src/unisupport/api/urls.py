"""The REST API: /api/ with its OpenAPI document at /api/openapi.json and docs at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from unisupport.api import catalog, errors, orders
from unisupport.api.auth import AUTH
from unisupport.api.parser import CheckedParser

api = NinjaAPI(
    title="unisupport API",
    version="1",
    description=(
        "The Unified Enterprise Support platform's API. Authenticate with `Authorization: Bearer <token>` "
        "(`unisupport token create USERNAME`) or the portal's session. Every decision names the rule of "
        "RULES.md that made it (`rule`), or the field at fault (`field`/`path`)."
    ),
    auth=AUTH,
    urls_namespace="api",
    parser=CheckedParser(),
)
errors.install(api)
api.add_router("/catalog", catalog.router)
api.add_router("/", "unisupport.api.rules.router")  # every rule ID, to look up
api.add_router("/", orders.router)
api.add_router("/ledger", "unisupport.api.ledger.router")  # credits, hours, allocation, fees
api.add_router("/", "unisupport.api.sla.router")  # response targets and business calendars
api.add_router("/", "unisupport.api.incidents.router")  # incidents, RCA and the SLA attainment report
api.add_router("/", "unisupport.api.conversation.router")  # an incident's comments and files (RSP-6)
api.add_router("/", "unisupport.api.deliveries.router")  # proactive deliveries (DEL-*)
api.add_router("/", "unisupport.api.workshops.router")  # deliverables, workshop terms, assessments
api.add_router("/", "unisupport.api.events.router")  # event coverage bookings (EVT-*)
api.add_router("/", "unisupport.api.programmes.router")  # enhanced programmes and MCS (MCS-*, UER-*, REDE-1)
api.add_router("/", "unisupport.api.contacts.router")  # contacts named on an order (RSP-1, RSP-2, RSP-3)
api.add_router("/", "unisupport.api.webhooks.router")  # signed webhooks (Standard Webhooks)
api.add_router("/", "unisupport.api.plans.router")  # success plans (SM-1..SM-3)
api.add_router("/", "unisupport.api.reviews.router")  # the monthly service review, the CSAM portfolio
