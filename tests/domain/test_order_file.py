"""Reading the order file: input that cannot be read as an order names the field (exit 2)."""

from __future__ import annotations

import pytest

from unisupport.domain.findings import Outcome, Verdict
from unisupport.domain.order_file import read_order_file

from .test_order_rules import BASE, FR_FOUNDATIONAL, THE_ISSUE_EXAMPLE, order


def read(text: str) -> tuple[list, Verdict]:
    verdict = Verdict()
    return read_order_file(text, verdict), verdict


def test_the_issue_example_reads_into_typed_documents():
    (doc,), verdict = read(THE_ISSUE_EXAMPLE)
    assert verdict.valid
    assert doc.order == "ESO-2026-001"
    assert [s.country for s in doc.sites] == ["FR", "DE"]
    assert doc.sites[0].timezone == "Europe/Paris"
    assert doc.sites[1].timezone == "Europe/Berlin"  # the country's default zone
    assert str(doc.sites[0].lines[1].quantity) == "12"
    assert doc.flexible_allocation is not None
    assert str(doc.flexible_allocation.amount) == "240000"


def test_a_file_may_hold_several_orders_of_one_agreement():
    text = (
        order(FR_FOUNDATIONAL)
        + "---\n"
        + order(FR_FOUNDATIONAL, base=BASE.replace("ESO-2026-001", "ESO-2026-002"))
    )
    docs, verdict = read(text)
    assert verdict.valid
    assert [d.order for d in docs] == ["ESO-2026-001", "ESO-2026-002"]


@pytest.mark.parametrize(
    ("text", "path", "words"),
    [
        ("agreement: [unclosed", "line 1", "not valid YAML"),
        (
            BASE.replace("customer: Contoso SA\n", "") + "sites: []\n",
            "ESO-2026-001.customer",
            "missing field",
        ),
        (order(FR_FOUNDATIONAL).replace("host: FR", "host: XX"), "ESO-2026-001.host", "unknown country"),
        (
            order(FR_FOUNDATIONAL).replace("country: FR", "country: France"),
            "ESO-2026-001.sites[0].country",
            "unknown country",
        ),
        (
            order(FR_FOUNDATIONAL + "    - {service: workshop, quantity: -3}\n"),
            "ESO-2026-001.sites[0].lines[1].quantity",
            "negative",
        ),
        (
            order(FR_FOUNDATIONAL).replace("end: 2026-12-31", "end: 2025-12-31"),
            "ESO-2026-001.end",
            "before it starts",
        ),
        (
            order(FR_FOUNDATIONAL).replace("start: 2026-01-01", "start: 2026-13-01"),
            "ESO-2026-001.start",
            "expected a date",
        ),
        (
            order(FR_FOUNDATIONAL).replace("currency: USD", "currency: dollars"),
            "ESO-2026-001.currency",
            "ISO 4217",
        ),
        (
            order(FR_FOUNDATIONAL + "  timezone: Europe/Atlantis\n"),
            "ESO-2026-001.sites[0].timezone",
            "unknown time zone",
        ),
        (
            order(FR_FOUNDATIONAL + "    - {service: workshop, qty: 3}\n"),
            "ESO-2026-001.sites[0].lines[1].qty",
            "unknown field",
        ),
        (
            order(FR_FOUNDATIONAL + "    - {service: workshop, quantity: 2.5}\n"),
            None,
            None,
        ),  # read fine; whole units are a catalog matter
        (
            order(FR_FOUNDATIONAL + "- country: FR\n  lines: []\n"),
            "ESO-2026-001.sites[1].country",
            "appears twice",
        ),
        (
            order(FR_FOUNDATIONAL)
            + "flexible_allocation:\n  amount: 10\n  assignments:\n    - {service: workshop, site: DE, amount: 10}\n",
            "ESO-2026-001.flexible_allocation.assignments[0].site",
            "not a site of this order",
        ),
        (
            order(FR_FOUNDATIONAL).replace("currency: USD", "currency: EUR")
            + "flexible_allocation:\n  amount: 10\n  assignments: []\n",
            "ESO-2026-001.usd_rate",
            "required",
        ),
        ("order: X\n", "X.agreement", "missing field"),
        ("- just\n- a list\n", "document[0].", "expected a mapping"),
        ("", "file", "no order document"),
    ],
)
def test_unreadable_input_names_the_field_and_reads_nothing(text, path, words):
    docs, verdict = read(text)
    if path is None:
        assert verdict.valid
        return
    assert docs == []
    assert verdict.outcome is Outcome.UNREADABLE
    assert any(f.path.startswith(path) and words in f.message for f in verdict.errors), verdict.as_dict()
    assert all(f.rule is None for f in verdict.errors)


def test_a_fractional_quantity_of_a_whole_unit_service_is_unreadable():
    from unisupport.domain.catalog import default_catalog
    from unisupport.domain.order_rules import check_orders
    from unisupport.domain.policy import default_policy_text, parse_policy

    docs, verdict = read(order(FR_FOUNDATIONAL + "    - {service: workshop, quantity: 2.5}\n"))
    check_orders(docs, catalog=default_catalog(), policy=parse_policy(default_policy_text()), verdict=verdict)
    assert verdict.outcome is Outcome.UNREADABLE
    assert verdict.errors[0].path == "ESO-2026-001.sites[0].lines[1].quantity"


def test_hours_may_be_fractional():
    from unisupport.domain.catalog import default_catalog
    from unisupport.domain.order_rules import check_orders
    from unisupport.domain.policy import default_policy_text, parse_policy

    docs, verdict = read(order(FR_FOUNDATIONAL + "    - {service: developer-assistance, quantity: 7.5}\n"))
    check_orders(docs, catalog=default_catalog(), policy=parse_policy(default_policy_text()), verdict=verdict)
    assert verdict.valid


def test_fingerprint_ignores_formatting_but_not_content():
    (a,), _ = read(THE_ISSUE_EXAMPLE)
    (b,), _ = read(
        THE_ISSUE_EXAMPLE.replace(
            "{service: workshop, quantity: 12, price: 36000}",
            "{price: 36000, service: workshop, quantity: 12}",
        )
    )
    (c,), _ = read(THE_ISSUE_EXAMPLE.replace("quantity: 12,", "quantity: 13,"))
    assert a.fingerprint() == b.fingerprint()
    assert a.fingerprint() != c.fingerprint()


def test_del5_a_line_may_be_sold_on_site_and_the_flag_is_true_or_false():
    (doc,), verdict = read(order(FR_FOUNDATIONAL + "    - {service: workshop, quantity: 2, on_site: true}\n"))
    assert verdict.valid
    assert [line.on_site for line in doc.sites[0].lines] == [False, True]
    _, bad = read(order(FR_FOUNDATIONAL + "    - {service: workshop, quantity: 2, on_site: 'yes'}\n"))
    assert bad.errors[0].path == "ESO-2026-001.sites[0].lines[1].on_site"


def test_ord9_the_on_site_flag_left_out_keeps_the_fingerprint_of_a_file_without_it():
    (plain,), _ = read(THE_ISSUE_EXAMPLE)
    (explicit,), _ = read(
        THE_ISSUE_EXAMPLE.replace(
            "quantity: 12, price: 36000}", "quantity: 12, price: 36000, on_site: false}"
        )
    )
    (sold,), _ = read(
        THE_ISSUE_EXAMPLE.replace("quantity: 12, price: 36000}", "quantity: 12, price: 36000, on_site: true}")
    )
    assert plain.fingerprint() == explicit.fingerprint() != sold.fingerprint()
