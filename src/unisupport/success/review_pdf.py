"""The monthly service review as a PDF (fpdf2, pure Python): the key figures, a chart of the incidents
by severity (met and missed), a chart of each entitlement's use against the plan, the breaches, what
is at risk, the milestones, the objectives and the contacts to update — in the reader's language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

ACCENT = (11, 92, 173)
MISSED = (176, 0, 32)
MUTED = (95, 107, 122)
# The PDF's core fonts hold Latin-1: what French typography adds beyond it is written plainly.
_PLAIN = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "—": "-",
        "–": "-",
        "…": "...",
        "œ": "oe",
        "Œ": "OE",
        "\u202f": " ",
        "\u00a0": " ",
        "≥": ">=",
        "≤": "<=",
    }
)


def _t(text: object) -> str:
    return str(text).translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


class _Review(FPDF):
    def cell_text(
        self, text: object, *, size: float = 10, bold: bool = False, colour: tuple[int, int, int] = (0, 0, 0)
    ) -> None:
        self.set_font("Helvetica", "B" if bold else "", size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.5, _t(text), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str) -> None:
        self.ln(3)
        self.cell_text(text, size=13, bold=True, colour=ACCENT)
        self.ln(1)

    def bars(
        self, rows: list[tuple[str, float, float]], *, labels: tuple[str, str], scale_to: float | None = None
    ) -> None:
        """Draw horizontal bars: for each row a label, a first value (accent) and a second (red or grey)."""
        top = max([scale_to or 0] + [a + b for _, a, b in rows]) or 1
        width = self.w - self.l_margin - self.r_margin - 45
        for label, first, second in rows:
            y = self.get_y()
            self.set_font("Helvetica", "", 9)
            self.cell(45, 6, _t(label))
            self.set_fill_color(*ACCENT)
            w1 = width * first / top
            if w1:
                self.rect(self.l_margin + 45, y + 1, w1, 4, style="F")
            self.set_fill_color(*MISSED)
            w2 = width * second / top
            if w2:
                self.rect(self.l_margin + 45 + w1, y + 1, w2, 4, style="F")
            self.set_xy(self.l_margin + 45 + w1 + w2 + 2, y)
            self.cell(0, 6, _t(f"{first:g} / {second:g}"), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, _t(f"{labels[0]} | {labels[1]}"), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def grid(self, header: list[str], rows: list[list[object]], widths: list[float]) -> None:
        self.set_font("Helvetica", "B", 9)
        for text, w in zip(header, widths, strict=True):
            self.cell(w, 6, _t(text), border="B")
        self.ln()
        self.set_font("Helvetica", "", 9)
        for row in rows:
            for value, w in zip(row, widths, strict=True):
                self.cell(w, 6, _t(value if value is not None else "-")[: int(w / 1.9)])
            self.ln()


def review_pdf(data: dict[str, Any], *, language: str) -> bytes:
    """Return the PDF of the review ``data`` (success.review.monthly_review) in ``language``."""
    with translation.override(language):
        pdf = _Review(format="A4")
        pdf.set_title(
            _t(
                _("Monthly service review %(order)s %(month)s")
                % {"order": data["order"], "month": data["month"]}
            )
        )
        pdf.add_page()
        pdf.cell_text(_("Monthly service review"), size=18, bold=True, colour=ACCENT)
        pdf.cell_text(
            f"{data['customer']} - {_('Order')} {data['order']} - {data['month']}", size=12, bold=True
        )
        pdf.cell_text(
            _("From %(start)s to %(end)s (%(zone)s); term %(tstart)s to %(tend)s")
            % {
                "start": data["period"]["from"],
                "end": data["period"]["to"],
                "zone": data["period"]["timezone"],
                "tstart": data["term"]["start"],
                "tend": data["term"]["end"],
            },
            size=9,
            colour=MUTED,
        )
        incidents = data["incidents"]
        pdf.heading(_("Incidents and response attainment"))
        attainment = f"{incidents['attainment']} %" if incidents["attainment"] is not None else "-"
        pdf.cell_text(
            _(
                "%(opened)s incidents opened; response target met for %(met)s of %(decided)s decided: %(attainment)s (SEV-2, SEV-7)"
            )
            % {
                "opened": incidents["opened"],
                "met": incidents["met"],
                "decided": incidents["decided"],
                "attainment": attainment,
            }
        )
        if incidents["by_severity"]:
            pdf.bars(
                [
                    (f"{_('Severity')} {r['severity']}", float(r["met"]), float(r["decided"] - r["met"]))
                    for r in incidents["by_severity"]
                ],
                labels=(_("met"), _("missed")),
            )
        rows = [
            [r["offering"], r["incidents"], r["met"], r["attainment"] or "-"]
            for r in incidents["by_offering"]
        ]
        rows += [
            [f"{_('Site')} {r['site_country']}", r["incidents"], r["met"], r["attainment"] or "-"]
            for r in incidents["by_site"]
        ]
        if rows:
            pdf.grid([_("Offering or site"), _("Incidents"), _("Met"), "%"], rows, [90, 30, 30, 30])
        pdf.heading(_("Breaches"))
        if data["breaches"]:
            pdf.grid(
                ["#", _("Severity"), _("Title"), _("Offering"), _("Rules")],
                [
                    [f"#{b['incident']}", b["severity"], b["title"], b["offering"], b["cause"]]
                    for b in data["breaches"]
                ],
                [18, 20, 70, 45, 27],
            )
        else:
            pdf.cell_text(_("No response target was missed."), colour=MUTED)
        pdf.heading(_("Consumption against the plan"))
        use = [
            (f"{a['site']} {a['service'] or a['kind']}", float(Decimal(a["used"])), 0.0)
            for a in data["consumption"]
        ]
        plan = [float(Decimal(a["planned_use"])) for a in data["consumption"]]
        if use:
            pdf.bars(
                [(label, used, max(p - used, 0.0)) for (label, used, _x), p in zip(use, plan, strict=True)],
                labels=(_("used"), _("behind the plan")),
            )
            pdf.grid(
                [_("Account"), _("Granted"), _("Used this month"), _("Used"), _("Planned"), _("Left")],
                [
                    [
                        f"{a['site']} {a['kind']} {a['service'] or ''}",
                        a["granted"],
                        a["used_this_month"],
                        a["used"],
                        a["planned_use"],
                        a["balance"],
                    ]
                    for a in data["consumption"]
                ],
                [60, 25, 30, 25, 25, 25],
            )
        risk = data["at_risk"]
        pdf.heading(_("At risk of forfeiture"))
        pdf.cell_text(
            _(
                "Unspent entitlements lapse on %(end)s (ORD-5); requests are accepted in full until %(deadline)s (DEL-1)."
            )
            % {"end": risk["expires_on"], "deadline": risk["requests_in_full_until"]}
        )
        pdf.heading(_("Deliveries and programme milestones"))
        pdf.cell_text(
            _(
                "%(done)s deliveries done this month, %(planned)s planned; %(late)s milestones late, %(mdone)s done this month."
            )
            % {
                "done": data["deliveries"]["done"],
                "planned": len(data["deliveries"]["planned"]),
                "late": data["milestones"]["late"],
                "mdone": data["milestones"]["done_this_month"],
            }
        )
        pdf.heading(_("Success plan"))
        for o in data["objectives"] or []:
            pdf.cell_text(f"- {o['title']} ({o['state']}){' - ' + o['outcome'] if o['outcome'] else ''}")
        if not data["objectives"]:
            pdf.cell_text(_("No objective recorded."), colour=MUTED)
        contacts = data["contacts"]
        pdf.heading(_("Contacts to update"))
        if contacts["missing_administrator"]:
            pdf.cell_text(_("The order names no support services administrator (RSP-1)."), colour=MISSED)
        pdf.cell_text(
            _("%(n)s contact changes reported late this month (RSP-3).") % {"n": contacts["late_changes"]}
        )
        return bytes(pdf.output())
