"""User text in spreadsheets stays text (OWASP, "CSV Injection"): a field that begins with one of
the characters that make Excel or LibreOffice read a formula is neutralised. Numbers that dondoc
itself writes (counts, days late, rates) are not text and pass through unchanged."""

from __future__ import annotations

# OWASP's list (=, +, -, @, tab, carriage return) and the fullwidth forms of the first four,
# which East Asian input methods and some spreadsheet versions also read as a formula's start.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula."""
    return text.startswith(FORMULA_STARTS)


def csv_field(value: object) -> object:
    """A CSV field: text that could start a formula gets a leading apostrophe (OWASP); anything
    else, numbers included, is returned as it is."""
    if isinstance(value, str) and starts_formula(value):
        return "'" + value
    return value
