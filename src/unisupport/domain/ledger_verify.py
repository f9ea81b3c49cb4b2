"""The ledger audit behind ``unisupport ledger verify``: every invariant, over all entries.

It reports rather than raises, so that one run lists every problem of a database.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from unisupport.domain.entries import NEVER_NEGATIVE, Account, AccountKind, Entry
from unisupport.domain.money import Credits


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken invariant, with the rule it breaks and where."""

    rule: str
    message: str
    account: Account | None = None
    entry: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """Return the violation as the JSON object ``ledger verify --json`` prints."""
        return {
            "rule": self.rule,
            "account": self.account.label if self.account else None,
            "entry": self.entry,
            "message": self.message,
        }


def verify(
    accounts: Mapping[Account, Decimal],
    entries: Iterable[Entry],
    *,
    known_rules: Collection[str] | None = None,
) -> list[Violation]:
    """Return every violation of the ledger's invariants (an empty list when all hold).

    ``accounts`` maps each account to its stored running balance; ``entries`` are all entries, in
    the order they were written. Checked: running balance == sum of entries (CRD-4); no balance
    below zero except under a CRD-3 exception within its limit (CRD-4, HRS-2, FLX-6); every entry
    names a rule (and a known one when ``known_rules`` is given); ids are unique; compensations,
    refunds and forfeitures point at an entry of the same account and never take back more than
    it moved; both halves of an exchange exist, are on one order (MC-6) and match the rate (MC-7).
    """
    found: list[Violation] = []
    ordered = list(entries)
    by_id: dict[str, Entry] = {}
    for entry_id, count in Counter(e.id for e in ordered).items():
        if count > 1:
            found.append(Violation("CRD-4", f"entry id written {count} times", entry=entry_id))
    for entry in ordered:
        by_id.setdefault(entry.id, entry)
        if known_rules is not None and entry.rule not in known_rules:
            found.append(Violation("CRD-4", f"unknown rule {entry.rule!r}", entry.account, entry.id))
        if entry.account not in accounts:
            found.append(
                Violation("CRD-4", "entry of an account that does not exist", entry.account, entry.id)
            )
    found += _balances(accounts, ordered)
    found += _references(ordered, by_id)
    found += _exchanges(ordered, by_id)
    return found


def _balances(accounts: Mapping[Account, Decimal], ordered: list[Entry]) -> list[Violation]:
    found: list[Violation] = []
    running: dict[Account, Decimal] = defaultdict(Decimal)
    for entry in ordered:
        account = entry.account
        running[account] += entry.amount
        rule = NEVER_NEGATIVE.get(account.kind)
        if rule is None or entry.amount > 0 or running[account] >= 0:
            continue
        exception = entry.exception
        if account.kind is AccountKind.CREDITS and exception is not None:
            limit = exception.credit_limit
            if limit is not None and running[account] < -limit:
                found.append(
                    Violation(
                        "CRD-3",
                        f"balance {running[account]} beyond the approved limit {limit}",
                        account,
                        entry.id,
                    )
                )
            continue
        found.append(
            Violation(rule, f"balance {running[account]} below zero without an exception", account, entry.id)
        )
    # By label: Account ordering compares service None with a code (a pool and its assignments).
    for account in sorted(set(accounts) | set(running), key=lambda a: a.label):
        stored = accounts.get(account)
        total = running.get(account, Decimal(0))
        if stored is not None and stored != total:
            found.append(
                Violation("CRD-4", f"running balance {stored} but the entries sum to {total}", account)
            )
    return found


def _references(ordered: list[Entry], by_id: dict[str, Entry]) -> list[Violation]:
    found: list[Violation] = []
    taken_back: dict[str, Decimal] = defaultdict(Decimal)
    compensations: Counter[str] = Counter()
    for entry in ordered:
        for label, target_id in (
            ("compensates", entry.compensates),
            ("refunds", entry.refunds),
            ("forfeits", entry.forfeits),
        ):
            if target_id is None:
                continue
            target = by_id.get(target_id)
            if target is None or target.account != entry.account:
                found.append(
                    Violation(
                        "CRD-4", f"{label} {target_id}, not an entry of this account", entry.account, entry.id
                    )
                )
                continue
            if label == "compensates":
                compensations[target_id] += 1
                if entry.amount != -target.amount:
                    found.append(
                        Violation(
                            "CRD-4",
                            f"compensates {target_id} with {entry.amount}, not {-target.amount}",
                            entry.account,
                            entry.id,
                        )
                    )
            elif label == "refunds":
                taken_back[target_id] += abs(entry.amount)
                if (entry.amount > 0) == (target.amount > 0):
                    found.append(
                        Violation(
                            "CRD-4", f"refund in the same direction as {target_id}", entry.account, entry.id
                        )
                    )
            elif target.amount <= 0 or entry.amount >= 0:
                found.append(
                    Violation(
                        "ORD-5", f"forfeiture of {target_id}, which granted nothing", entry.account, entry.id
                    )
                )
    for target_id, count in compensations.items():
        if count > 1:
            found.append(
                Violation("CRD-4", f"compensated {count} times", by_id[target_id].account, target_id)
            )
    for target_id, amount in taken_back.items():
        if amount > abs(by_id[target_id].amount):
            found.append(
                Violation(
                    "CRD-4",
                    f"refunds total {amount}, more than it moved",
                    by_id[target_id].account,
                    target_id,
                )
            )
    return found


def _exchanges(ordered: list[Entry], by_id: dict[str, Entry]) -> list[Violation]:
    found: list[Violation] = []
    credited: dict[str, Decimal] = defaultdict(Decimal)
    for entry in ordered:
        if entry.exchange is None or entry.amount < 0:
            continue
        debit = by_id.get(entry.linked or "")
        if debit is None or debit.amount >= 0:
            found.append(Violation("MC-7", "exchange credit without its debit", entry.account, entry.id))
            continue
        credited[debit.id] += entry.amount
        if debit.account.order != entry.account.order:
            found.append(
                Violation("MC-6", f"exchange across orders ({debit.account.order})", entry.account, entry.id)
            )
    for entry in ordered:
        if entry.exchange is None or entry.amount > 0:
            continue
        expected = entry.exchange.credited(Credits(-entry.amount)).amount
        if credited.get(entry.id, Decimal(0)) != expected:
            found.append(
                Violation(
                    "MC-7",
                    f"credited {credited.get(entry.id, 0)}, the rate gives {expected}",
                    entry.account,
                    entry.id,
                )
            )
    return found
