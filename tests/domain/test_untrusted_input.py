"""Small files stay small (issue 17 §0): YAML aliases are limited, quoted values are short, and an
order file too large or holding too many orders is refused before it is read whole."""

from __future__ import annotations

import tracemalloc

import pytest

from unisupport.domain.errors import InvalidInput
from unisupport.domain.findings import Verdict
from unisupport.domain.messages import Message, quoted
from unisupport.domain.order_file import read_order_file
from unisupport.domain.rates import parse_rates_yaml

# Nine levels of nine aliases: 637 bytes that expand to 9**9 leaves when walked.
LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def test_an_order_file_of_nested_aliases_is_refused_unread_in_little_memory():
    tracemalloc.start()
    verdict = Verdict()
    assert read_order_file(LAUGHS + "order: X\n", verdict) == []
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert verdict.unreadable
    assert "aliases" in verdict.errors[0].message
    assert len(verdict.errors[0].message) < 200
    assert peak < 5_000_000


def test_a_rates_file_of_nested_aliases_is_refused_naming_the_file():
    with pytest.raises(InvalidInput) as refused:
        parse_rates_yaml(LAUGHS)
    assert refused.value.field == "rates"


def test_a_few_aliases_are_still_read():
    text = "defaults: &fr {country: FR}\nsites:\n  - *fr\n  - *fr\n"
    verdict = Verdict()
    read_order_file(text, verdict)
    assert not any("aliases" in e.message for e in verdict.errors)


def test_an_order_file_too_large_or_with_too_many_orders_is_refused_unread():
    verdict = Verdict()
    assert read_order_file("# padding\n" * 1000, verdict, max_bytes=5000) == []
    assert verdict.unreadable
    assert "at most 5,000 are read" in verdict.errors[0].message
    many = Verdict()
    assert read_order_file("order: A\n---\norder: B\n---\norder: C\n", many, max_orders=2) == []
    assert "more than 2 orders" in many.errors[0].message


def test_a_message_quotes_a_large_value_short():
    huge = [["x" * 10_000] * 1000] * 1000  # shared rows: a million items if expanded
    text = Message("expected a number, got {value!r}", value=huge)
    assert len(text) < 300
    assert len(quoted("y" * 100_000)) < 200
    long = Message("reason: {why}", why="z" * 5000)
    assert len(long) < 1100
    assert Message("got {value!r}", value="FR") == "got 'FR'"  # short values are as before
