"""Countries and their default time zones (issue 3 §3: the support location's calendar)."""

from __future__ import annotations

from importlib import resources
from zoneinfo import ZoneInfo

import pytest

from unisupport.domain.countries import (
    all_countries,
    check_country,
    check_timezone,
    country,
    default_timezone,
    is_country,
)
from unisupport.domain.errors import InvalidInput, UnknownCountry


def _tab(name: str) -> list[list[str]]:
    text = resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


def test_every_iso3166_code_of_the_tz_database_is_a_country():
    codes = {row[0] for row in _tab("iso3166.tab")}
    assert {c.code for c in all_countries()} == codes
    assert len(codes) == 249


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("FR", "Europe/Paris"),
        ("DE", "Europe/Berlin"),
        ("GB", "Europe/London"),
        ("US", "America/New_York"),
        ("JP", "Asia/Tokyo"),
        ("IN", "Asia/Kolkata"),
    ],
)
def test_the_default_zones_named_by_the_issue(code, zone):
    assert default_timezone(code) == zone


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("AU", "Australia/Sydney"),  # Canberra
        ("CA", "America/Toronto"),  # Ottawa
        ("BR", "America/Sao_Paulo"),  # Brasília
        ("RU", "Europe/Moscow"),
        ("CN", "Asia/Shanghai"),
        ("MX", "America/Mexico_City"),
        ("ID", "Asia/Jakarta"),
        ("KZ", "Asia/Almaty"),  # Astana
        ("NZ", "Pacific/Auckland"),  # Wellington
        ("AR", "America/Argentina/Buenos_Aires"),
        ("ES", "Europe/Madrid"),
        ("PT", "Europe/Lisbon"),
        ("CL", "America/Santiago"),
        ("EC", "America/Guayaquil"),  # Quito
        ("CD", "Africa/Kinshasa"),
        ("MN", "Asia/Ulaanbaatar"),
        ("MY", "Asia/Kuala_Lumpur"),
        ("UA", "Europe/Kyiv"),
        ("UZ", "Asia/Tashkent"),
        ("FM", "Pacific/Pohnpei"),  # Palikir
        ("KI", "Pacific/Tarawa"),
        ("PF", "Pacific/Tahiti"),  # Papeete
    ],
)
def test_a_multi_zone_country_defaults_to_its_capitals_zone(code, zone):
    assert default_timezone(code) == zone


def test_every_multi_zone_country_has_a_reasoned_choice():
    zones: dict[str, list[str]] = {}
    for row in _tab("zone.tab"):
        zones.setdefault(row[0], []).append(row[2])
    for c in all_countries():
        if len(zones.get(c.code, [])) > 1:
            assert c.note, f"{c.code} has several zones: say why {c.timezone}"
            assert c.timezone in zones[c.code] or c.timezone == "Etc/UTC"


def test_a_single_zone_country_uses_the_tz_database_zone():
    zones: dict[str, list[str]] = {}
    for row in _tab("zone.tab"):
        zones.setdefault(row[0], []).append(row[2])
    for c in all_countries():
        if len(zones.get(c.code, [])) == 1:
            assert c.timezone == zones[c.code][0], c.code


def test_every_default_zone_loads():
    for c in all_countries():
        ZoneInfo(c.timezone)


def test_countries_have_english_names():
    assert country("GB").name == "United Kingdom"
    assert country("de").name == "Germany"
    assert country("NO").name == "Norway"  # the YAML key is quoted: not the boolean false


def test_codes_are_read_in_any_case_and_returned_upper_case():
    assert is_country("fr")
    assert check_country(" fr ") == "FR"
    assert not is_country("XX")
    assert not is_country(None)


def test_an_unknown_country_is_refused_naming_the_field():
    with pytest.raises(UnknownCountry) as caught:
        check_country("ZZ", field="site.country")
    assert caught.value.field == "site.country"
    assert "ZZ" in caught.value.message
    with pytest.raises(UnknownCountry):
        default_timezone("France")


def test_a_time_zone_override_is_checked():
    assert check_timezone("America/Chicago") == "America/Chicago"
    assert check_timezone("Europe/Kiev") == "Europe/Kiev"  # links are IANA names too
    for bad in ("Mars/Olympus_Mons", "", "../etc/passwd", None, "europe/paris"):
        with pytest.raises(InvalidInput) as caught:
            check_timezone(bad, field="tz")
        assert caught.value.field == "tz"
