"""The catalog codes the rules name, written once (services.yaml holds the services themselves).

Rules speak of particular services — foundational, UER, the MCS tiers, custom proactive — and the
domain, the apps and the plain-SQL paths test a line's code against them. Each code is here and
nowhere else; a list of codes that a rule derives from data (the response-target table's rows,
the offerings with an event window) is built from that data in ``domain.sla``.
"""

from __future__ import annotations

FOUNDATIONAL = "foundational"
MSCIR = "mscir"  # an extension of an existing agreement (ORD-1)
UER = "unified-enhanced-response"
PLATFORM = "mcs-azure-platform"
PLATFORM_PLUS = "mcs-azure-platform-plus"
PLATFORM_TIERS = (PLATFORM, PLATFORM_PLUS)
EVENTS = "mcs-azure-events"
EVENTS_PLUS = "mcs-azure-events-plus"
EVENT_TIERS = (EVENTS, EVENTS_PLUS)
SECURITY_CLOUD = "mcs-security-cloud"
COMPANION = "mcs-azure-workload-companion"  # ORD-3
ARR = "azure-rapid-response"
RSM_ADDON = "reactive-support-management-addon"
REDE = "reactive-enhanced-designated-engineering"
CUSTOM_PROACTIVE = "custom-proactive"  # FLX-1
DE = "designated-engineering"
EDE = "enhanced-designated-engineering"
SINGLE_LOCATION = (DE, EDE)  # ORD-6
