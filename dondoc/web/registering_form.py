"""The draft form of *Đăng ký văn bản*: the posted fields to the spec-shaped dict, and that dict
to a `DirectiveSpec` with each problem in Vietnamese beside its field (the field path of the
reader's review points: "directive.issuer", "obligations[1].deadline.day", ...)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from dondoc.config.config_yaml import SpecError
from dondoc.config.spec import DirectiveSpec, ObligationSpec
from dondoc.config.spec_loader import AgencyRecord, resolve_addressees
from dondoc.tracking.spec_checks import check_first_periods

DOC_FIELDS = ("number", "doc_type", "issuer", "issued_on", "subject", "unit", "implements")
OBLIGATION_TEXT = ("code", "kind", "title", "phrase", "recurrence", "first_period")
# Keys of an obligation the form does not show, carried through unchanged.
CARRIED = ("reminders", "note")
Errors = dict[str, list[str]]


@dataclass
class Parsed:
    content: dict[str, Any]
    errors: Errors = field(default_factory=dict)

    def add(self, where: str, message: str) -> None:
        # "addressees[3]" is the addressees' field: one list of checkboxes or codes.
        where = re.sub(r"\[\d+\]$", "", where)
        self.errors.setdefault(where, []).append(message)


def _text(form: Mapping[str, str], name: str) -> str | None:
    value = " ".join(str(form.get(name, "")).split())
    return value or None


def parse_day(text: str | None) -> dt.date | None:
    """dd/mm/yyyy (or yyyy-mm-dd); None when blank; ValueError when not a date."""
    if not text:
        return None
    found = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if found:
        day, month, year = (int(g) for g in found.groups())
        return dt.date(year, month, day)
    return dt.date.fromisoformat(text)


def _day(parsed: Parsed, form: Mapping[str, str], name: str) -> str | None:
    raw = _text(form, name)
    try:
        day = parse_day(raw)
    except ValueError:
        parsed.add(name, f"«{raw}» không phải là ngày: hãy ghi theo dạng dd/mm/yyyy.")
        return raw
    return day.isoformat() if day else None


def _int(parsed: Parsed, form: Mapping[str, str], name: str) -> int | str | None:
    raw = _text(form, name)
    if raw is None:
        return None
    if not raw.isdigit():
        parsed.add(name, f"«{raw}» không phải là số.")
        return raw
    return int(raw)


def _document(parsed: Parsed, form: Mapping[str, str], block: str) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for name in DOC_FIELDS:
        key = f"{block}.{name}"
        doc[name] = _day(parsed, form, key) if name == "issued_on" else _text(form, key)
    if source := _text(form, f"{block}.source_file"):
        doc["source_file"] = source
    for optional in ("unit", "implements"):
        if doc[optional] is None:
            del doc[optional]
    return doc


def _deadline(parsed: Parsed, form: Mapping[str, str], at: str) -> dict[str, Any] | None:
    shape = form.get(f"{at}.form", "none")
    if shape == "none":
        return None
    rule: dict[str, Any] = {}
    if shape == "date":
        rule["date"] = _day(parsed, form, f"{at}.date")
    else:
        rule["month"] = _int(parsed, form, f"{at}.month")
        rule["day"] = _int(parsed, form, f"{at}.day")
        if form.get(f"{at}.year_offset"):
            rule["year_offset"] = 1
    rule["inclusive"] = form.get(f"{at}.inclusive") == "true"
    if form.get(f"{at}.no_shift"):
        rule["shift_to_working_day"] = False
    rule["chosen_by"] = form.get(f"{at}.chosen_by") or "document"
    return {k: v for k, v in rule.items() if v is not None}


def _cutoff(parsed: Parsed, form: Mapping[str, str], at: str) -> dict[str, Any] | str | None:
    shape = form.get(f"{at}.form", "none")
    if shape == "none":
        return None
    if shape == "decree-09":
        return "decree-09"
    rule = {"month": _int(parsed, form, f"{at}.month"), "day": _int(parsed, form, f"{at}.day")}
    return {k: v for k, v in rule.items() if v is not None}


def _codes(text: str | None) -> list[str]:
    return [c for c in re.split(r"[,;\s]+", text or "") if c]


def _obligation(parsed: Parsed, form: Mapping[str, str], i: int) -> dict[str, Any]:
    at = f"obligations[{i}]"
    ob: dict[str, Any] = {name: _text(form, f"{at}.{name}") for name in OBLIGATION_TEXT}
    if ob["first_period"] is None:
        del ob["first_period"]
    ob["deadline"] = _deadline(parsed, form, f"{at}.deadline")
    if (cutoff := _cutoff(parsed, form, f"{at}.cutoff")) is not None:
        ob["cutoff"] = cutoff
    if form.get(f"{at}.scope") == "some":
        ob["addressees"] = _codes(form.get(f"{at}.addressees"))
    carried = form.get(f"{at}.carried") or "{}"
    try:
        kept = json.loads(carried)
    except ValueError:
        kept = {}
    ob.update({k: v for k, v in kept.items() if k in CARRIED} if isinstance(kept, dict) else {})
    return ob


def parse_form(form: Mapping[str, str], multi: Mapping[str, Sequence[str]]) -> Parsed:
    """The posted form as the spec-shaped dict, and the values that are not even of their type
    (a date that is no date, a day that is no number) as errors by field."""
    parsed = Parsed({})
    content = parsed.content
    content["directive"] = _document(parsed, form, "directive")
    if form.get("has_dispatch"):
        content["dispatch"] = _document(parsed, form, "dispatch")
    content["report_to"] = _text(form, "report_to")
    content["addressees"] = [*multi.get("addressees", ()), *_codes(form.get("addressees_more"))]
    content["exclude"] = list(multi.get("exclude", ()))
    raw = str(form.get("obligation_count", "0"))
    count = int(raw) if raw.isdigit() else 0
    content["obligations"] = [_obligation(parsed, form, i) for i in range(min(count, 200))]
    return parsed


def validate(
    parsed: Parsed, agencies: Sequence[AgencyRecord], today: dt.date
) -> DirectiveSpec | None:
    """The spec when the form is right; else None with every error beside its field."""
    typed = set(parsed.errors)  # a value not even of its type: said once, in its own words
    _check_scopes(parsed, parsed.content, agencies)
    try:
        spec = DirectiveSpec.model_validate(parsed.content)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            where, message = error_vi(err)
            if where not in typed:
                parsed.add(where, message)
        return None
    if parsed.errors:
        return None
    try:
        addressed = len(resolve_addressees(spec, agencies))
        check_first_periods(spec, None, agencies=addressed, today=today, confirmed=False)
    except SpecError as exc:
        parsed.add(exc.field or "addressees", spec_error_vi(exc))
        return None
    return spec


def _check_scopes(
    parsed: Parsed, content: dict[str, Any], agencies: Sequence[AgencyRecord]
) -> None:
    """Each obligation's own addressees checked against the agency list; passed on to the
    spec only when the spec knows the field (until then a scope is refused, not dropped)."""
    known = {a.code for a in agencies} | {g for a in agencies for g in a.groups}
    supported = "addressees" in ObligationSpec.model_fields
    for i, ob in enumerate(content["obligations"]):
        scope = ob.get("addressees")
        if scope is None:
            continue
        where = f"obligations[{i}].addressees"
        unknown = [c for c in scope if c not in known]
        if not scope:
            parsed.add(where, "Hãy ghi ít nhất một nhóm hoặc mã cơ quan phải thực hiện.")
        elif unknown:
            parsed.add(where, f"Không có nhóm hoặc mã cơ quan: {', '.join(unknown)}.")
        elif not supported:
            parsed.add(where, "Phiên bản này chưa giao được nhiệm vụ cho riêng một số cơ quan: "
                       "chọn «Tất cả cơ quan nhận» hoặc đăng ký riêng.")  # fmt: skip


def path_of(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# The validators' own messages (config/spec.py), by their start: the field they concern and
# what the coordinator reads.
_VALUE_ERRORS: tuple[tuple[str, str, str], ...] = (
    ("deadline.date is required", "deadline.date", "Nhiệm vụ một lần cần ngày hạn cụ thể."),
    ("deadline.day is required", "deadline.day", "Nhiệm vụ định kỳ cần ngày hạn trong tháng."),
    ("deadline.month is required", "deadline.month", "Cần ghi tháng hạn trong kỳ."),
    ("deadline.month", "deadline.month", "Tháng hạn là tháng trong kỳ (vd: quý: 1 đến 3)."),
    ("cutoff: a data cut-off", "cutoff", "Chỉ nhiệm vụ định kỳ mới có ngày chốt số liệu."),
    ("cutoff.month is not used", "cutoff.month", "Nhiệm vụ hằng tháng: chỉ ghi ngày chốt."),
    ("cutoff.month is the month", "cutoff.month", "Tháng chốt là tháng trong kỳ."),
    ("not a ", "", "Kỳ không đúng dạng (vd: 2026, 2026-H1, 2026-Q3, 2026-05)."),
    ("the year must be", "", "Năm phải từ 2000 đến 2100."),
    ("duplicate obligation code", "", "Hai nhiệm vụ trùng mã: mỗi nhiệm vụ một mã riêng."),
    ("write {month", "", "Ghi ngày chốt (tháng, ngày) hoặc chọn Nghị định 09/2019/NĐ-CP."),
)

_TYPES_VI = {
    "missing": "Chưa điền: mục này bắt buộc.",
    "string_type": "Chưa điền: mục này bắt buộc.",
    "too_short": "Chọn hoặc ghi ít nhất một.",
    "string_too_short": "Quá ngắn.",
    "string_pattern_mismatch": "Chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang "
    "(vd: annual-report).",
    "literal_error": "Giá trị không nằm trong các lựa chọn.",
    "extra_forbidden": "Mục này không dùng được ở đây.",
    "date_from_datetime_parsing": "Không phải là ngày: hãy ghi dd/mm/yyyy.",
    "date_parsing": "Không phải là ngày: hãy ghi dd/mm/yyyy.",
    "int_parsing": "Không phải là số.",
}


def error_vi(err: ErrorDetails) -> tuple[str, str]:
    """A pydantic error as (field path, Vietnamese message)."""
    where = path_of(tuple(err["loc"]))
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "value_error":
        said = str(ctx.get("error", err["msg"]))
        for start, sub, message in _VALUE_ERRORS:
            if said.startswith(start):
                return (f"{where}.{sub}" if sub and where else where or "obligations"), message
        return where, f"Giá trị không hợp lệ ({said})."
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = ctx.get("ge", ctx.get("le"))
        if isinstance(bound, dt.date):
            return where, "Ngày phải trong khoảng 01/01/2000 đến 31/12/2100."
        return where, f"Giá trị phải {'từ' if 'ge' in ctx else 'tối đa là'} {bound}."
    if kind == "none_required" or (where.endswith("issued_on") and kind == "date_type"):
        return where, "Chưa điền ngày (dd/mm/yyyy)."
    return where, _TYPES_VI.get(kind, f"Giá trị không hợp lệ ({err['msg']}).")


def spec_error_vi(exc: SpecError) -> str:
    if "unknown agency group or code" in exc.problem:
        return f"Không có nhóm hoặc mã cơ quan «{exc.value}»."
    if "no agency left" in exc.problem:
        return "Không còn cơ quan nào sau khi loại trừ."
    if "years after today" in exc.problem:
        return "Kỳ đầu tiên cách hôm nay hơn 10 năm về sau: có gõ nhầm không?"
    if "years before today" in exc.problem:
        return (
            "Kỳ đầu tiên cách hôm nay hơn 10 năm: sẽ tạo nhiệm vụ cho mọi kỳ từ đó, gần như "
            "tất cả quá hạn. Hãy chọn một kỳ gần hơn (nạp lịch sử cũ bằng dòng lệnh `dondoc "
            "load --confirm-history`)."
        )
    return f"Không hợp lệ: {exc.problem}."
