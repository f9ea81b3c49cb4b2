"""The four kinds of domain error, and what each names."""

from __future__ import annotations

from unisupport.domain.errors import DomainError, Forbidden, InvalidInput, NotFound, RuleViolation


def test_forbidden_and_not_found_are_kinds_of_their_own():
    """Whoever handles bad input does not answer a refusal of the person or a missing object by mistake."""
    for error in (Forbidden("only the vendor's staff do this"), NotFound("no incident #7")):
        assert isinstance(error, DomainError)
        assert not isinstance(error, InvalidInput | RuleViolation)


def test_forbidden_and_not_found_keep_their_texts_and_fields():
    assert Forbidden("only the vendor's staff do this").as_dict() == {
        "rule": None,
        "field": "actor",
        "message": "actor: only the vendor's staff do this",
    }
    assert NotFound("no incident #7").as_dict() == {
        "rule": None,
        "field": "id",
        "message": "id: no incident #7",
    }
    missing = NotFound("no order 'X'", field="number")
    assert (missing.field, missing.message, missing.text) == (
        "number",
        "number: no order 'X'",
        "no order 'X'",
    )
