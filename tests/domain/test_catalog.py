"""The service catalog and the product catalogue (RULES.md §1: CAT-1..CAT-3; ORD-7, ORD-8, HRS-1, FLX-3).

The expected data below is RULES.md §1's table, written out by hand so that the shipped
catalog (``domain/data/services.yaml``) is checked against the specification, not against
itself.
"""

from __future__ import annotations

import re

import pytest

from unisupport.domain.catalog import (
    Catalog,
    Category,
    Inclusion,
    ProductFamily,
    Unit,
    codes,
    default_catalog,
    parse_catalog,
)
from unisupport.domain.errors import UnknownProduct, UnknownService

# code, French source name, English name, category, inclusion mark, unit — RULES.md §1 order.
# "formerly" in RULES.md's French-name column is written « anciennement », as in the source.
CATALOG_TABLE: list[tuple[str, str, str, str, str, Unit]] = [
    ("foundational", "Services fondamentaux (anciennement Package de Base)", "Foundational services",
     "package", "—", Unit.CONTRACT),
    ("technical-validation", "Validation Technique", "Technical validation",
     "proactive/planning", "+", Unit.ENGAGEMENT),
    ("architecture-services", "Services d'Architecture", "Architecture services",
     "proactive/planning", "+", Unit.ENGAGEMENT),
    ("integration-services", "Services d'Intégration", "Integration services",
     "proactive/implementation", "+", Unit.ENGAGEMENT),
    ("on-demand-assessment", "Évaluation à la Demande", "On-demand assessment",
     "proactive/maintenance", "✓", Unit.SUBSCRIPTION),
    ("assessment-program", "Programme d'Évaluation", "Assessment program",
     "proactive/maintenance", "+", Unit.ENGAGEMENT),
    ("offline-assessment", "Évaluation Hors Connexion", "Offline assessment",
     "proactive/maintenance", "+", Unit.ENGAGEMENT),
    ("proactive-monitoring", "Surveillance Proactive", "Proactive monitoring",
     "proactive/maintenance", "+", Unit.ENGAGEMENT),
    ("proactive-operations-program", "Programmes d'Opérations Proactives (POP)",
     "Proactive Operations Program (POP)", "proactive/maintenance", "+", Unit.ENGAGEMENT),
    ("rap-as-a-service", "RAP as a Service",
     "Risk and Health Assessment Program as a Service (RAP as a Service)",
     "proactive/maintenance", "+", Unit.ENGAGEMENT),
    ("adoption-services", "Services d'Adoption", "Adoption services",
     "proactive/optimization", "+", Unit.ENGAGEMENT),
    ("devops-capability-assessment", "Évaluation des capacités DevOps", "DevOps capability assessment",
     "proactive/optimization", "+", Unit.ENGAGEMENT),
    ("developer-assistance", "Assistance au Développement", "Developer assistance",
     "proactive/optimization", "+", Unit.HOURS),
    ("developer-platform-advisory", "Support-conseil pour la plate-forme de développement",
     "Developer platform advisory", "proactive/optimization", "+", Unit.HOURS),
    ("it-service-management", "Gestion des services informatiques", "IT service management",
     "proactive/optimization", "+", Unit.ENGAGEMENT),
    ("security-services", "Services de sécurité", "Security services",
     "proactive/optimization", "+", Unit.ENGAGEMENT),
    ("on-demand-education", "Formation à la Demande", "On-demand education",
     "proactive/education", "✓", Unit.SUBSCRIPTION),
    ("webcasts", "Webcasts", "Webcasts", "proactive/education", "✓", Unit.SUBSCRIPTION),
    ("hackathon", "Hackathons", "Hackathons", "proactive/education", "+", Unit.ENGAGEMENT),
    ("technical-update-briefing", "Exposés des Mises à Jour Techniques", "Technical update briefings",
     "proactive/education", "+", Unit.ENGAGEMENT),
    ("chalk-talk", "Conférences interactives (« Chalk Talk »)", "Chalk talks",
     "proactive/education", "+", Unit.ENGAGEMENT),
    ("workshop", "Ateliers", "Workshops", "proactive/education", "+", Unit.PARTICIPANT),
    ("custom-proactive", "Services proactifs personnalisés", "Custom proactive services",
     "proactive/additional", "+", Unit.ENGAGEMENT),
    ("technology-advisor", "Conseiller Technologique", "Technology advisor",
     "proactive/additional", "+", Unit.ENGAGEMENT),
    ("proactive-credits", "Avoirs proactifs", "Proactive credits", "proactive/other", "+", Unit.CREDITS),
    ("advisory-support", "Support Conseil", "Advisory support", "reactive", "✓", Unit.INCIDENT),
    ("problem-resolution-support", "Assistance à la Résolution de Problèmes (PRS)",
     "Problem resolution support (PRS)", "reactive", "✓", Unit.INCIDENT),
    ("reactive-support-management", "Gestion du Support Réactif", "Reactive support management",
     "reactive", "✓", Unit.INCLUDED),
    ("root-cause-analysis", "Analyse des Causes Premières", "Root cause analysis (RCA)",
     "reactive", "+", Unit.REQUEST),
    ("reactive-support-management-addon", "Module complémentaire de gestion du support réactif",
     "Reactive support management add-on", "reactive", "+", Unit.HOURS),
    ("success-management", "Services de Gestion de la Réussite (CSAM)", "Success management services (CSAM)",
     "success management", "✓", Unit.INCLUDED),
    ("mcs-azure-platform", "MCS for Azure Platform (anciennement AED)", "MCS for Azure Platform",
     "critical & strategic", "+", Unit.ANNUAL),
    ("mcs-azure-platform-plus", "MCS for Azure Platform Plus", "MCS for Azure Platform Plus",
     "critical & strategic", "+", Unit.ANNUAL),
    ("mcs-azure-workload", "MCS for Azure Workload", "MCS for Azure Workload",
     "critical & strategic", "+", Unit.ANNEX),
    ("mcs-azure-workload-plus", "MCS Azure Workload Plus", "MCS for Azure Workload Plus",
     "critical & strategic", "+", Unit.ANNEX),
    ("mcs-azure-workload-companion", "MCS for Azure Workload Companion", "MCS for Azure Workload Companion",
     "critical & strategic", "+", Unit.ANNEX),
    ("mcs-azure-events", "MCS for Azure Events (anciennement AEM)", "MCS for Azure Events",
     "critical & strategic", "+", Unit.EVENT),
    ("mcs-azure-events-plus", "MCS for Azure Events Plus", "MCS for Azure Events Plus",
     "critical & strategic", "+", Unit.EVENT),
    ("mcs-security-cloud", "MCS for Microsoft Security Cloud", "MCS for Microsoft Security Cloud",
     "critical & strategic", "+", Unit.TENANT_SET),
    ("mcs-m365", "MCS for Microsoft 365", "MCS for Microsoft 365", "critical & strategic", "+", Unit.TENANT_SET),
    ("mscir", "Réponse aux incidents de cybersécurité (MSCIR)",
     "Microsoft Cybersecurity Incident Response (MSCIR)", "critical & strategic", "+", Unit.ENGAGEMENT),
    ("mcs-github", "MCS for GitHub (anciennement GHED)", "MCS for GitHub",
     "critical & strategic", "+", Unit.ANNEX),
    ("vital-strategic-support", "Support Stratégique Vital", "Support for Mission Critical",
     "critical & strategic", "+", Unit.ANNEX),
    ("designated-engineering", "Ingénierie Désignée (DE)", "Designated Engineering (DE)",
     "enhanced solution", "+", Unit.ENGAGEMENT),
    ("enhanced-designated-engineering", "Ingénierie Désignée améliorée (EDE)",
     "Enhanced Designated Engineering (EDE)", "enhanced solution", "+", Unit.HOURS),
    ("reactive-enhanced-designated-engineering", "Ingénierie désignée améliorée réactive (REDE)",
     "Reactive Enhanced Designated Engineering (REDE)", "enhanced solution", "+", Unit.HOURS),
    ("unified-enhanced-response", "Réponse Améliorée Unifiée (UER)", "Unified Enhanced Response (UER)",
     "enhanced solution", "+", Unit.ORDER_TERM),
    ("azure-rapid-response", "Azure Rapid Response (ARR)", "Azure Rapid Response (ARR)",
     "enhanced solution", "+", Unit.ORDER_TERM),
    ("developer-support", "Support aux Développeurs", "Developer support",
     "enhanced solution", "+¹", Unit.QUANTITY),
]  # fmt: skip

REQUIRED_PRODUCTS = [
    "Azure Virtual Machines", "Azure Kubernetes Service", "Azure SQL Database", "Azure Storage",
    "Azure StorSimple", "GitHub AE", "Azure Communication Services", "Billing & Subscription Management",
    "Azure Media Services", "Azure Stack", "Azure Maps", "Azure Billing", "Test Base for M365",
    "Microsoft Mesh", "Universal Print", "A40", "Azure US Government", "Azure China Cloud",
    "Microsoft Entra ID", "Microsoft Intune", "Microsoft Purview", "Microsoft Defender",
    "Microsoft Sentinel", "Security Copilot", "Microsoft 365", "Exchange Online", "SharePoint Online",
    "Microsoft Teams", "Dynamics 365", "Microsoft Fabric", "Windows Server", "SQL Server",
    "Exchange Server", "GitHub Enterprise Cloud",
]  # fmt: skip

RULE_ID = re.compile(r"^(CAT|ORD|MC|FLX|CRD|HRS|DEL|SEV|INC|RCA|MCS|UER|REDE|DE|EVT|RSP|SM)-\d+$")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return default_catalog()


# --- CAT-1: the 49 services of RULES.md §1 -------------------------------------------------


def test_cat_1_catalog_holds_exactly_the_49_codes_in_rules_order(catalog: Catalog) -> None:
    assert len(CATALOG_TABLE) == 49
    assert list(catalog.services) == [row[0] for row in CATALOG_TABLE]
    assert codes(catalog.services.values()) == [row[0] for row in CATALOG_TABLE]


@pytest.mark.parametrize(
    ("code", "name_fr", "name_en", "category", "mark", "unit"),
    CATALOG_TABLE,
    ids=[r[0] for r in CATALOG_TABLE],
)
def test_cat_1_each_service_matches_the_rules_table(
    catalog: Catalog, code: str, name_fr: str, name_en: str, category: str, mark: str, unit: Unit
) -> None:
    service = catalog.service(code)
    assert service.code == code
    assert service.name_fr == name_fr
    assert service.name_en == name_en
    assert service.category is Category(category)
    assert service.inclusion.mark == mark
    assert service.unit is unit
    assert service.name("fr") == name_fr
    assert service.name("en") == name_en


def test_cat_1_every_service_has_a_description_in_both_languages_and_its_source(catalog: Catalog) -> None:
    for service in catalog.services.values():
        assert service.description_fr, service.code
        assert service.description_en, service.code
        assert service.description("fr") == service.description_fr
        assert service.description("en") == service.description_en
        assert service.source.startswith("§2."), service.code
        # short restatements, not pasted source passages
        assert len(service.description_fr) < 450, service.code
        assert len(service.description_en) < 450, service.code


def test_cat_1_only_foundational_is_the_package_and_the_included_services_are_the_seven_checkmarks(
    catalog: Catalog,
) -> None:
    assert [s.code for s in catalog.services.values() if s.is_foundational] == ["foundational"]
    assert [s.code for s in catalog.services.values() if s.is_included] == [
        "on-demand-assessment",
        "on-demand-education",
        "webcasts",
        "advisory-support",
        "problem-resolution-support",
        "reactive-support-management",
        "success-management",
    ]
    addons = [s for s in catalog.services.values() if s.is_addon]
    assert len(addons) == 49 - 1 - 7


def test_cat_1_units_that_need_words_carry_a_note_in_both_languages(catalog: Catalog) -> None:
    notes = {
        "workshop": "per participant, or dedicated",
        "chalk-talk": "typically 1 day",
        "mcs-azure-events": "3–20 calendar days",
        "mcs-azure-events-plus": "3–60 calendar days",
        "advisory-support": "6 hours",
        "enhanced-designated-engineering": "predefined offer",
        "mcs-azure-platform": "tiered on assessed product spend",
    }
    for code, words in notes.items():
        service = catalog.service(code)
        assert words in service.unit_note_en, code
        assert service.unit_note_fr, code


def test_cat_1_categories_group_the_services_in_catalog_order(catalog: Catalog) -> None:
    assert codes(catalog.in_category(Category.PROACTIVE_PLANNING)) == [
        "technical-validation",
        "architecture-services",
    ]
    assert codes(catalog.in_category(Category.REACTIVE)) == [
        "advisory-support",
        "problem-resolution-support",
        "reactive-support-management",
        "root-cause-analysis",
        "reactive-support-management-addon",
    ]
    assert len(catalog.in_category(Category.CRITICAL_STRATEGIC)) == 12
    assert len(catalog.in_category(Category.ENHANCED_SOLUTION)) == 6
    assert sum(1 for s in catalog.services.values() if s.category.is_proactive) == 24


def test_cat_1_unknown_service_code_raises_unknown_service_naming_the_rule(catalog: Catalog) -> None:
    with pytest.raises(UnknownService) as caught:
        catalog.service("premier-support", field="sites[0].lines[1].service")
    error = caught.value
    assert error.rule == "CAT-1"
    assert error.code == "premier-support"
    assert error.field == "sites[0].lines[1].service"
    assert "CAT-1" in error.message
    assert error.as_dict()["rule"] == "CAT-1"


def test_cat_1_service_codes_are_case_sensitive(catalog: Catalog) -> None:
    with pytest.raises(UnknownService):
        catalog.service("Foundational")


def test_cat_1_rule_references_are_well_formed_rules_md_ids(catalog: Catalog) -> None:
    for service in catalog.services.values():
        for rule in service.rules:
            assert RULE_ID.match(rule), (service.code, rule)
        assert len(set(service.rules)) == len(service.rules), service.code
    assert catalog.service("custom-proactive").rules == ("FLX-1",)
    assert catalog.service("mcs-azure-workload-companion").rules == ("ORD-3",)
    assert {"MC-10", "SEV-4", "SEV-10", "INC-4", "RCA-3", "UER-1", "UER-2", "UER-3", "UER-6"} <= set(
        catalog.service("unified-enhanced-response").rules
    )


# --- CAT-2: delivery languages and countries ------------------------------------------------


@pytest.mark.parametrize(
    ("code", "languages"),
    [
        ("azure-rapid-response", ("en", "ja")),  # SEV-10
        ("unified-enhanced-response", ("en", "zh", "ja")),  # SEV-10: enhanced incident management
        ("mcs-azure-platform", ("en",)),  # MCS-7
        ("mcs-azure-platform-plus", ("en",)),  # MCS-7
        ("mcs-azure-events", ("en",)),  # EVT-6
        ("mcs-azure-events-plus", ("en",)),  # EVT-6
        ("mcs-security-cloud", ("en",)),  # MCS-7, Annexe A
        ("reactive-support-management-addon", ("en",)),  # SEV-10, plus the customer's language
    ],
)
def test_cat_2_language_limits_of_sev_10_mcs_7_evt_6(
    catalog: Catalog, code: str, languages: tuple[str, ...]
) -> None:
    assert catalog.service(code).languages == languages


def test_cat_2_the_add_on_notes_the_customers_language_where_applicable(catalog: Catalog) -> None:
    service = catalog.service("reactive-support-management-addon")
    assert "customer's language" in service.unit_note_en
    assert "langue du client" in service.unit_note_fr


def test_cat_2_other_services_carry_no_language_limit(catalog: Catalog) -> None:
    limited = {
        "azure-rapid-response",
        "unified-enhanced-response",
        "mcs-azure-platform",
        "mcs-azure-platform-plus",
        "mcs-azure-events",
        "mcs-azure-events-plus",
        "mcs-security-cloud",
        "reactive-support-management-addon",
    }
    assert {s.code for s in catalog.services.values() if s.languages} == limited


def test_cat_2_country_restrictions_are_iso_codes_and_none_is_invented(catalog: Catalog) -> None:
    # The source says availability varies by country (§1) but names no country for any service.
    for service in catalog.services.values():
        assert all(re.fullmatch(r"[A-Z]{2}", c) for c in service.not_sold_in), service.code
    assert all(not s.not_sold_in for s in catalog.services.values())


# --- CAT-3: another provider ----------------------------------------------------------------


def test_cat_3_mcs_github_is_provided_by_github_under_its_own_terms(catalog: Catalog) -> None:
    service = catalog.service("mcs-github")
    assert service.provider == "GitHub, Inc."
    assert "Privacy Statement" in service.provider_terms
    assert "Data Protection Addendum" in service.provider_terms


def test_cat_3_every_other_service_is_provided_by_microsoft_without_extra_terms(catalog: Catalog) -> None:
    others = [s for s in catalog.services.values() if s.code != "mcs-github"]
    assert {s.provider for s in others} == {"Microsoft"}
    assert all(not s.provider_terms for s in others)


# --- ORD-7, ORD-8, HRS-1, FLX-3 -------------------------------------------------------------


def test_ord_7_developer_support_is_the_only_quantity_limited_service(catalog: Catalog) -> None:
    limited = [s.code for s in catalog.services.values() if s.inclusion is Inclusion.QUANTITY_LIMITED]
    assert limited == ["developer-support"]
    # the source states no number: the limit comes from the order
    assert catalog.service("developer-support").max_quantity is None


def test_ord_8_services_subject_to_resource_availability_need_vendor_acceptance(catalog: Catalog) -> None:
    assert {s.code for s in catalog.services.values() if s.needs_vendor_acceptance} == {
        "azure-rapid-response",
        "mcs-azure-events",
        "mcs-azure-events-plus",
        "reactive-support-management-addon",
    }


def test_hrs_1_hour_block_services_are_bought_in_hours(catalog: Catalog) -> None:
    blocks = {s.code for s in catalog.services.values() if s.hour_block}
    assert blocks == {
        "developer-assistance",
        "developer-platform-advisory",
        "reactive-enhanced-designated-engineering",
        "reactive-support-management-addon",
        "enhanced-designated-engineering",
    }
    for code in blocks:
        service = catalog.service(code)
        assert service.unit is Unit.HOURS, code
        assert not service.unit.whole_units, code
        assert "HRS-1" in service.rules, code


def test_flx_3_success_management_cannot_be_paid_by_the_flexible_allocation(catalog: Catalog) -> None:
    assert catalog.service("success-management").allocation_eligible is False
    assert catalog.service("foundational").allocation_eligible is False


def test_flx_3_allocation_pays_for_proactive_critical_strategic_and_enhanced_addons_only(
    catalog: Catalog,
) -> None:
    # §2.2: proactive services, critical & strategic services, enhanced solutions, proactive
    # credits and custom proactive services; never success management; included services
    # cost nothing; reactive add-ons are not among the categories named.
    for service in catalog.services.values():
        expected = service.is_addon and (
            service.category.is_proactive
            or service.category in (Category.CRITICAL_STRATEGIC, Category.ENHANCED_SOLUTION)
        )
        assert service.allocation_eligible is expected, service.code
    assert catalog.service("custom-proactive").allocation_eligible
    assert catalog.service("proactive-credits").allocation_eligible
    assert not catalog.service("root-cause-analysis").allocation_eligible
    assert not catalog.service("reactive-support-management-addon").allocation_eligible


# --- The product catalogue (ORD-10, SEV-3..SEV-6, EVT-5, MCS-8, INC-1) ----------------------


def test_product_catalogue_holds_every_required_name(catalog: Catalog) -> None:
    for name in REQUIRED_PRODUCTS:
        assert name in catalog.products, name
        assert catalog.product(name).name == name


def test_product_catalogue_is_of_reasonable_size_with_unique_names_and_aliases(catalog: Catalog) -> None:
    assert 60 <= len(catalog.products) <= 100
    keys = [key.casefold() for p in catalog.products.values() for key in (p.name, *p.aliases)]
    assert len(keys) == len(set(keys)), "a name or alias points at two products"


def test_product_lookup_by_alias_and_case_insensitively(catalog: Catalog) -> None:
    assert catalog.product("AKS").name == "Azure Kubernetes Service"
    assert catalog.product("azure vms").name == "Azure Virtual Machines"
    assert catalog.product("M365").name == "Microsoft 365"
    assert catalog.product("D365").name == "Dynamics 365"
    assert catalog.product("Entra ID").name == "Microsoft Entra ID"
    assert catalog.product("Azure Active Directory").name == "Microsoft Entra ID"
    assert catalog.product("Microsoft Entra").name == "Microsoft Entra ID"
    assert catalog.product("Azure Government").name == "Azure US Government"
    assert catalog.product("  exchange ONLINE ").name == "Exchange Online"
    assert catalog.product("test base for m365").name == "Test Base for M365"


def test_unknown_product_raises_unknown_product_naming_the_field(catalog: Catalog) -> None:
    with pytest.raises(UnknownProduct) as caught:
        catalog.product("Lotus Notes", field="incident.product")
    assert caught.value.name == "Lotus Notes"
    assert caught.value.field == "incident.product"


def test_product_flags_use_the_known_vocabulary(catalog: Catalog) -> None:
    vocabulary = {
        "azure",
        "us-government",
        "azure-china",
        "sovereign",
        "security",
        "online-service",
        "on-premises",
        "identity",
        "client-software",
        "end-user-device",
    }
    for product in catalog.products.values():
        assert product.flags <= vocabulary, product.name


def test_sev_3_to_6_named_azure_exclusions_are_azure_components(catalog: Catalog) -> None:
    # The exclusions are applied by name by the SLA engine; the flag says what they are.
    for name in [
        "Azure StorSimple",
        "GitHub AE",
        "Azure Communication Services",
        "Billing & Subscription Management",
        "Azure Media Services",
        "Azure Stack",
        "Azure Maps",
        "Azure Billing",
        "Test Base for M365",
        "Microsoft Mesh",
        "Universal Print",
        "A40",
    ]:
        assert catalog.product(name).is_azure, name
    for name in ["Azure Virtual Machines", "Azure Kubernetes Service", "Azure SQL Database", "Azure Storage"]:
        product = catalog.product(name)
        assert product.is_azure, name
        assert product.family is ProductFamily.AZURE, name


def test_sev_6_evt_5_sovereign_clouds_are_flagged(catalog: Catalog) -> None:
    gov = catalog.product("Azure US Government")
    assert {"azure", "us-government", "sovereign"} <= gov.flags
    china = catalog.product("Azure China Cloud")
    assert {"azure", "azure-china", "sovereign"} <= china.flags
    assert "sovereign" not in catalog.product("Azure Virtual Machines").flags


def test_sev_6_mcs_8_security_and_identity_products(catalog: Catalog) -> None:
    entra = catalog.product("Microsoft Entra ID")
    assert entra.family is ProductFamily.SECURITY
    assert {"security", "identity", "online-service"} <= entra.flags
    assert not entra.is_azure
    for name in [
        "Microsoft Intune",
        "Microsoft Purview",
        "Microsoft Defender",
        "Microsoft Sentinel",
        "Security Copilot",
    ]:
        assert "security" in catalog.product(name).flags, name
        assert catalog.product(name).family is ProductFamily.SECURITY, name


def test_sev_6_on_premises_client_and_device_flags(catalog: Catalog) -> None:
    for name in ["Windows Server", "SQL Server", "Exchange Server"]:
        product = catalog.product(name)
        assert product.family is ProductFamily.ON_PREMISES, name
        assert "on-premises" in product.flags, name
        assert not product.is_azure, name
    assert {"client-software", "end-user-device"} <= catalog.product("Windows 11").flags
    assert "client-software" in catalog.product("Microsoft Edge").flags
    assert "identity" in catalog.product("Active Directory Domain Services").flags


def test_evt_5_product_families_of_the_excluded_technologies(catalog: Catalog) -> None:
    assert catalog.product("M365").family is ProductFamily.MODERN_WORK
    assert catalog.product("D365").family is ProductFamily.BUSINESS_APPLICATIONS
    assert catalog.product("Microsoft Fabric").family is ProductFamily.DATA
    assert catalog.product("GitHub Enterprise Cloud").family is ProductFamily.GITHUB


def test_inc_1_online_services_name_their_support_portal(catalog: Catalog) -> None:
    assert catalog.product("Azure Kubernetes Service").support_portal == "Azure portal"
    assert catalog.product("Exchange Online").support_portal == "Microsoft 365 admin center"
    assert catalog.product("Dynamics 365").support_portal == "Power Platform admin center"
    assert catalog.product("GitHub Enterprise Cloud").support_portal == "GitHub Support"
    for product in catalog.products.values():
        if "online-service" in product.flags:
            assert product.support_portal, product.name
    assert catalog.product("Windows Server").support_portal == ""


# --- parse_catalog on its own ---------------------------------------------------------------


def test_cat_1_parse_catalog_applies_the_defaults() -> None:
    parsed = parse_catalog(
        "services:\n"
        "  - {code: x, name_fr: X, name_en: X, category: reactive, inclusion: purchasable, unit: hours,\n"
        "     max_quantity: 2.5}\n",
        "products:\n  - {name: Thing, family: other}\n",
    )
    service = parsed.service("x")
    assert service.provider == "Microsoft"
    assert service.allocation_eligible is True
    assert service.needs_vendor_acceptance is False
    assert service.hour_block is False
    assert service.languages == ()
    assert str(service.max_quantity) == "2.5"
    assert parsed.product("thing").flags == frozenset()
