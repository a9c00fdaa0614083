"""How a directive is named where a person types it (the CLI's ``--directive``/``--year``, the
board's URL, a flow's form): numbers restart every year, so a directive is its number/symbol and
its year, written "24/CT-TTg/2016" or "24/CT-TTg" with the year apart. A number that carries its
year ("09/2019/NĐ-CP") needs none. Pure and light (quick commands parse it before any database
work); dondoc.reports.directives finds the directive a reference names."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from dondoc.errors import InputError

FIRST_YEAR, LAST_YEAR = 1945, 2100
MAX_LENGTH = 80  # a number (64 characters at most) and its year
_TRAILING_YEAR = re.compile(r"^(?P<number>.+?)\s*/\s*(?P<year>\d{4})$")

Candidate = tuple[str, int | None]  # (number, year); None: any year


@dataclass(frozen=True)
class DirectiveRef:
    """A directive as typed: ``text`` (NFC, trimmed) and the ``year`` given apart, if any."""

    text: str
    year: int | None = None

    def candidates(self) -> tuple[Candidate, ...]:
        """The (number, year) pairs it may name: the text as a whole number (a real number may
        end in digits) and, when it ends in "/YYYY", the number before it in that year."""
        found: list[Candidate] = [(self.text, self.year)]
        split = _TRAILING_YEAR.match(self.text)
        if split and (self.year is None or int(split["year"]) == self.year):
            found.append((split["number"], int(split["year"])))
        return tuple(found)

    def __str__(self) -> str:
        split = _TRAILING_YEAR.match(self.text)
        if self.year is None or (split and int(split["year"]) == self.year):
            return self.text
        return f"{self.text}/{self.year}"


def _year(value: int | str, option: str) -> int:
    text = str(value).strip()
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise InputError(
            f"{option} {text!r} is not a year from {FIRST_YEAR} to {LAST_YEAR}",
            field="year",
            value=text,
        )
    return int(text)


def _problem(text: str) -> str | None:
    if len(text) > MAX_LENGTH:
        return f"is longer than {MAX_LENGTH} characters"
    for position, char in enumerate(text, start=1):
        if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
            return f"contains the control character U+{ord(char):04X} at position {position}"
    return None


def parse_directive(
    text: str | None,
    year: int | str | None = None,
    *,
    option: str = "--directive",
    year_option: str = "--year",
) -> DirectiveRef | None:
    """``text`` ("24/CT-TTg/2016", "24/CT-TTg") and ``year`` (2016, "2016") as one reference;
    None when neither is given. Errors name ``option`` or ``year_option``."""
    given_year = None if year is None or str(year).strip() == "" else _year(year, year_option)
    if text is None or not text.strip():
        if given_year is not None:
            raise InputError(
                f"{year_option} {given_year} needs {option} (the directive's number/symbol)",
                field="directive",
                value=None,
            )
        return None
    clean = unicodedata.normalize("NFC", text.strip())
    problem = _problem(clean)
    if problem:
        raise InputError(f"{option} {problem}", field="directive", value=clean)
    split = _TRAILING_YEAR.match(clean)
    if split and given_year is not None and int(split["year"]) != given_year:
        raise InputError(
            f"{option} {clean!r} names the year {split['year']} but {year_option} says"
            f" {given_year}: give the year once",
            field="year",
            value=given_year,
        )
    if split:
        clean = f"{split['number']}/{split['year']}"  # "24/CT-TTg / 2016" as typed in a hurry
    return DirectiveRef(clean, given_year)


def carries_year(number: str, year: int) -> bool:
    """Whether the number states its year, as "09/2019/NĐ-CP" does."""
    return re.search(rf"(?<!\d){year}(?!\d)", number) is not None


def directive_ref(number: str, year: int) -> str:
    """The canonical reference of a stored directive, as URLs, forms and the CLI take it:
    "24/CT-TTg/2016"; "09/2019/NĐ-CP" as it is (its number names its year)."""
    return number if carries_year(number, year) else f"{number}/{year}"


def directive_label(number: str, year: int) -> str:
    """How a page or a report tells directives apart in a short label: "24/CT-TTg (2016)"."""
    return number if carries_year(number, year) else f"{number} ({year})"
