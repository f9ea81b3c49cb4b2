"""Burn-down charts as server-rendered SVG geometry: the balance over the term against a straight line.

The plan goes from what the order granted on the first day to nothing on the last (use evenly
over the term); the actual line is the balance after each day's entries, up to today.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

WIDTH = 560
HEIGHT = 190
PAD_X = 8
PAD_Y = 18  # room for the axis labels above and below the plot


@dataclass(frozen=True, slots=True)
class BurnDown:
    """The geometry of one chart, in SVG user units (``WIDTH`` × ``HEIGHT``)."""

    plan: str  # polyline points
    actual: str
    today_x: float | None
    top: Decimal  # the value at the top of the chart
    granted: Decimal
    start: date
    end: date
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def label_bottom(self) -> int:
        """Return the baseline of the date labels under the plot."""
        return self.height - 4


def burn_down(
    daily: Sequence[tuple[date, Decimal]], *, granted: Decimal, start: date, end: date, today: date
) -> BurnDown:
    """Return the burn-down of an account from its movements summed by ``daily`` day, and what its
    order ``granted`` (the plan's top), over the term ``start``–``end``, as seen on ``today``."""
    span = max((end - start).days, 1)
    by_day: dict[date, Decimal] = {}
    for day, amount in daily:
        clipped = min(max(day, start), end)
        by_day[clipped] = by_day.get(clipped, Decimal(0)) + amount
    levels: list[tuple[date, Decimal]] = []
    balance = Decimal(0)
    for day in sorted(by_day):
        balance += by_day[day]
        levels.append((day, balance))
    top = max([granted, Decimal(1), *(level for _, level in levels)])

    def x(day: date) -> float:
        return round(PAD_X + (WIDTH - 2 * PAD_X) * (min(max(day, start), end) - start).days / span, 1)

    def y(value: Decimal) -> float:
        return round(HEIGHT - PAD_Y - float((HEIGHT - 2 * PAD_Y) * max(value, Decimal(0)) / top), 1)

    points: list[tuple[float, float]] = []
    previous = Decimal(0)
    for day, level in levels:
        if day > today and points:
            break
        points += [(x(day), y(previous)), (x(day), y(level))]
        previous = level
    if points and today > levels[-1][0] and start <= today:
        points.append((x(min(today, end)), y(previous)))
    return BurnDown(
        plan=f"{x(start)},{y(granted)} {x(end)},{y(Decimal(0))}",
        actual=" ".join(f"{px},{py}" for px, py in points),
        today_x=x(today) if start <= today <= end else None,
        top=top,
        granted=granted,
        start=start,
        end=end,
    )
