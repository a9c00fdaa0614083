"""Issue #15, patterns 1-4: where the tasks of a real dispatch are, which deadline belongs to
which task (a date in its own paragraph after the list, a data period beside a deadline, the
6-month, 9-month and annual reports apart), what is a cut-off, and who must act. Each fixture
in fixtures/dispatches/patterns/ is read against patterns/expected.yaml; the drafts load with
the spec loader, or are refused by `dondoc load` naming file, line and field; an obligation's
addressees become its only assignments."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from dondoc.config.spec_loader import AgencyRecord, SpecError, load_spec_file
from dondoc.engine.deadlines import WorkCalendar
from dondoc.reading.agencies import AgencyIndex
from dondoc.reading.deadline_rules import read_deadline
from dondoc.reading.draft import DispatchDraft, DocumentDraft, parse_dispatch
from dondoc.reading.draft_yaml import render_draft
from dondoc.reading.review import Review
from dondoc.reading.scope import task_scope
from dondoc.reading.tasks import report_addresses, what_is_asked
from dondoc.reading.text import decode_text
from dondoc.reading.work import read_obligations
from tests.conftest import run_dondoc

PATTERNS = Path(__file__).parent / "fixtures" / "dispatches" / "patterns"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load(
    (PATTERNS / "expected.yaml").read_text(encoding="utf-8")
)
TODAY = dt.date(2026, 3, 10)
AT = "2026-03-10T09:00+07:00"


def _draft(name: str, agencies: list[AgencyRecord], calendar: WorkCalendar) -> DispatchDraft:
    text = decode_text((PATTERNS / name).read_bytes())
    return parse_dispatch(text, agencies, today=TODAY, calendar=calendar)


def _dump(model: Any) -> dict[str, Any] | None:
    return None if model is None else model.model_dump(exclude_defaults=True)


def test_every_pattern_has_fixtures_in_official_layouts() -> None:
    names = set(EXPECTED)
    assert {p.name for p in PATTERNS.glob("*.txt")} == names
    for pattern in ("p1-", "p2-", "p3-", "p4-"):
        assert sum(n.startswith(pattern) for n in names) >= 2, pattern
    raw = [(PATTERNS / n).read_bytes() for n in names]
    assert any(b"\r\n" in r for r in raw) and any(b"\t" in r for r in raw)
    assert any("\u0300".encode() in r or "\u0301".encode() in r for r in raw)  # NFD


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_pattern_fixture_is_read_as_expected(
    name: str, agencies: list[AgencyRecord], calendar: WorkCalendar
) -> None:
    want, draft = EXPECTED[name], _draft(name, agencies, calendar)
    got = [(o.code, o.kind, o.recurrence) for o in draft.obligations]
    assert got == [(o["code"], o["kind"], o["recurrence"]) for o in want["obligations"]]
    for i, (ob, expected) in enumerate(zip(draft.obligations, want["obligations"], strict=True)):
        points = [p for p in draft.review if p.where.startswith(f"obligations[{i}]")]
        if expected["deadline"] in ("flagged", "unread"):
            assert ob.deadline is None, i
            assert any(p.where == f"obligations[{i}].deadline" for p in points), i
            assert ob.deadline_unread == (expected["deadline"] == "unread"), i
        else:
            assert _dump(ob.deadline) == expected["deadline"], i
            assert not ob.deadline_unread, i
        assert _dump(ob.cutoff) == expected.get("cutoff"), i
        names = expected.get("addressees")
        assert ob.addressees == (None if names is None else tuple(names)), i
        for words in expected.get("review", []):
            assert any(words in p.message for p in points), (i, words)
    if "report_to" in want:
        assert draft.report_to == want["report_to"]
    messages = "\n".join(p.message for p in draft.review)
    for words in want.get("absent", []):
        assert words not in messages


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_review_points_quote_their_sentence(
    name: str, agencies: list[AgencyRecord], calendar: WorkCalendar
) -> None:
    draft = _draft(name, agencies, calendar)
    mine = [p for p in draft.review if re.match(r"obligations|report_to", p.where)]
    for point in mine:
        assert point.sentence, point
        assert "\n" not in point.sentence and point.sentence == point.sentence.strip()
        assert len(point.sentence) <= 302


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_pattern_draft_loads_or_is_refused_at_the_unread_deadline(
    name: str, agencies: list[AgencyRecord], calendar: WorkCalendar, tmp_path: Path
) -> None:
    want, draft = EXPECTED[name], _draft(name, agencies, calendar)
    # Headers are other patterns' (an uppercase trích yếu, #15 pattern 5; the subject of a
    # directive a công văn implements): filled in here, as a reviewer would.
    draft = replace(draft, document=_filled(draft.document))
    if draft.directive is not None:
        draft = replace(draft, directive=_filled(draft.directive))
    path = tmp_path / "draft.yaml"
    path.write_text(render_draft(draft, source_name=name, source_file=None), encoding="utf-8")
    unread = [i for i, o in enumerate(want["obligations"]) if o["deadline"] == "unread"]
    if unread:
        with pytest.raises(SpecError) as refused:
            load_spec_file(path)
        assert refused.value.field == f"obligations[{unread[0]}].deadline"
        assert refused.value.line is not None
        return
    spec = load_spec_file(path)
    loaded = [(o.code, o.deadline, o.cutoff, o.addressees) for o in spec.obligations]
    drafted = [(o.code, o.deadline, o.cutoff, o.addressees) for o in draft.obligations]
    assert loaded == drafted


def _filled(doc: DocumentDraft) -> DocumentDraft:
    return replace(doc, subject=doc.subject or "Trích yếu", issuer=doc.issuer or "Cơ quan",
                   issued_on=doc.issued_on or dt.date(2025, 1, 2))  # fmt: skip


def test_dondoc_load_refuses_a_draft_whose_stated_deadline_was_not_read(workdir: Path) -> None:
    made = run_dondoc("import-dispatch", str(PATTERNS / "p7-unread-deadline.txt"), "--at", AT)
    assert made.code == 0, made.err
    draft = workdir / "1450-BNNMT-KHTC.draft.yaml"
    text = draft.read_text(encoding="utf-8")
    line = next(n for n, s in enumerate(text.splitlines(), 1) if 'deadline: "UNREAD"' in s)
    assert run_dondoc("init", "--no-bundled", "--at", AT).code == 0
    load = run_dondoc("load", str(draft), "--at", AT)
    assert load.code != 0
    assert f"{draft.name}:{line}: obligations[0].deadline" in load.err
    assert "not read" in load.err
    status = run_dondoc("status", "--format", "json")
    assert status.code == 0 and json.loads(status.out) == []  # nothing half-loaded


def _board(name: str) -> set[tuple[str, str]]:
    result = run_dondoc("status", "--format", "json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    return {(r["obligation"], r["agency"]) for r in rows if r["obligation"] == name}


def test_an_obligations_addressees_are_its_only_assignments(workdir: Path) -> None:
    made = run_dondoc("import-dispatch", str(PATTERNS / "p4-ct-named-agencies.txt"), "--at", AT)
    assert made.code == 0, made.err
    draft = workdir / "31-CT-TTg.draft.yaml"
    # The uppercase trích yếu is pattern 5's (headers); written in here.
    text = draft.read_text(encoding="utf-8").replace("subject: null", 'subject: "Về an toàn"')
    draft.write_text(text, encoding="utf-8")
    assert run_dondoc("init", "--no-bundled", "--at", AT).code == 0
    load = run_dondoc("load", str(draft), "--at", AT)
    assert load.code == 0, load.err
    rows = json.loads(run_dondoc("status", "--format", "json").out)
    by_code: dict[str, set[str]] = {}
    for r in rows:
        by_code.setdefault(r["obligation"], set()).add(r["agency"])
    assert len(by_code["plan"]) == 51  # every addressee: 14 ministries, 3 agencies, 34 provinces
    assert by_code["inspection"] == {"BCA"}
    assert by_code["plan-2"] == {"BKHCN"}
    assert len(by_code["half-year-report"]) == 34 and by_code["half-year-report"] <= by_code["plan"]

    # The coordinator widens the inspection to the Ministry of Finance too and reloads.
    text = draft.read_text(encoding="utf-8")
    text = text.replace('addressees: ["BCA"]', 'addressees: ["BCA", "BTC"]')
    draft.write_text(text, encoding="utf-8")
    assert run_dondoc("load", str(draft), "--at", AT).code == 0
    assert _board("inspection") == {("inspection", "BCA"), ("inspection", "BTC")}

    # A name outside the directive's addressees is refused with its file, line and field.
    text = text.replace('addressees: ["BCA", "BTC"]', 'addressees: ["79-SXD"]')
    draft.write_text(text, encoding="utf-8")
    refused = run_dondoc("load", str(draft), "--at", AT)
    assert refused.code != 0 and "obligations[1].addressees[0]" in refused.err, refused.err
    assert _board("inspection") == {("inspection", "BCA"), ("inspection", "BTC")}


@pytest.mark.parametrize(
    ("sentence", "recurrence", "rule"),
    [
        ("Các đơn vị thực hiện nghiêm túc, kịp thời, khẩn trương báo cáo trước ngày 5/12/2025.",
         "once", {"date": dt.date(2025, 12, 5), "inclusive": False}),
        ("Số liệu báo cáo tính từ ngày 16 tháng 12 năm trước đến hết ngày 15 tháng 6 của năm "
         "báo cáo; gửi báo cáo trước ngày 20 tháng 6 hằng năm.",
         "yearly", {"month": 6, "day": 20, "inclusive": False}),
        ("Báo cáo gửi trước ngày 28 hàng tháng, chốt số liệu ngày 25.",
         "monthly", {"day": 28, "inclusive": False}),
        ("Báo cáo quý: số liệu tính từ ngày 15 của tháng trước kỳ báo cáo đến ngày 14 của tháng "
         "cuối quý; gửi trước ngày 20 của tháng cuối quý.",
         "quarterly", {"month": 3, "day": 20, "inclusive": False}),
        ("Báo cáo hằng quý, chốt số liệu ngày 15 của tháng cuối quý, gửi trước ngày 20 của "
         "tháng cuối quý.",
         "quarterly", {"month": 3, "day": 20, "inclusive": False}),
        ("Định kỳ báo cáo trước ngày 15/6 và trước ngày 15/12 hằng năm.",
         "half-yearly", {"month": 6, "day": 15, "inclusive": False}),
        ("Thời gian thực hiện: từ ngày 01/3/2026 đến ngày 30/6/2026.",
         "once", {"date": dt.date(2026, 6, 30), "inclusive": True}),
    ],
)  # fmt: skip
def test_adverbs_and_data_periods_are_not_deadlines(
    sentence: str, recurrence: str, rule: dict[str, Any]
) -> None:
    reading = read_deadline(sentence, dt.date(2025, 11, 3))
    assert (reading.recurrence, _dump(reading.deadline)) == (recurrence, rule)


@pytest.mark.parametrize(
    ("lines", "address"),
    [
        (["Báo cáo gửi về Bộ Xây dựng, thư điện tử: nguyen-van.a@moc.gov.vn."],
         "Bộ Xây dựng, nguyen-van.a@moc.gov.vn"),
        (["Báo cáo gửi về Cục Quản lý nhà (địa chỉ thư điện tử:", "qlnha.tong-hop@moc.gov.vn)."],
         "Cục Quản lý nhà (địa chỉ thư điện tử: qlnha.tong-hop@moc.gov.vn)"),
        (["Đề nghị gửi báo cáo theo địa chỉ thư điện tử: abc.xyz@moc.gov.vn trước ngày 5/1."],
         "abc.xyz@moc.gov.vn"),
    ],
)  # fmt: skip
def test_report_to_keeps_the_email_address_whole(lines: list[str], address: str) -> None:
    assert report_addresses(lines)[0] == address


MEASURE = PATTERNS / "measure"


def test_stated_deadlines_are_read_right(
    agencies: list[AgencyRecord], calendar: WorkCalendar
) -> None:
    stated: dict[str, list[Any]] = yaml.safe_load(
        (MEASURE / "deadlines.yaml").read_text(encoding="utf-8")
    )
    assert len(stated) >= 8 and {p.name for p in MEASURE.glob("*.txt")} == set(stated)
    right = total = 0
    for name, deadlines in stated.items():
        text = decode_text((MEASURE / name).read_bytes())
        draft = parse_dispatch(text, agencies, today=TODAY, calendar=calendar)
        read = [(o.recurrence, _dump(o.deadline)) for o in draft.obligations]
        for recurrence, rule in deadlines:
            total += 1
            if (recurrence, rule) in read:
                right += 1
                read.remove((recurrence, rule))
        if name.startswith("m12"):  # a past request's date makes no obligation
            assert len(draft.obligations) == 1
        flagged = {p.where for p in draft.review}
        for i, ob in enumerate(draft.obligations):  # a dated value nobody stated is flagged
            if (ob.recurrence, _dump(ob.deadline)) in read and ob.deadline is not None:
                assert f"obligations[{i}].deadline" in flagged, (name, i)
    assert right / total >= 0.9, f"{right} of {total} stated deadlines read right"


@pytest.mark.parametrize(
    ("task", "read"),
    [
        ("Rà soát các dự án chậm tiến độ, hoàn thành trước ngày 30/4/2026; báo cáo kết quả về "
         "Bộ trước ngày 15/5/2026.",
         [("plan", "once", {"date": dt.date(2026, 4, 30), "inclusive": False}),
          ("report", "once", {"date": dt.date(2026, 5, 15), "inclusive": False})]),
        ("Kiểm tra các công trình, hoàn thành trước ngày 30/4/2026; báo cáo kết quả trước ngày "
         "15/5/2026.",
         [("inspection", "once", {"date": dt.date(2026, 4, 30), "inclusive": False}),
          ("report", "once", {"date": dt.date(2026, 5, 15), "inclusive": False})]),
        ("Báo cáo tháng: trước ngày 20 hằng tháng; Báo cáo quý: trước ngày 20 của tháng cuối "
         "quý; Báo cáo 6 tháng: trước ngày 20/6; báo cáo năm: trước ngày 15/12.",
         [("report", "monthly", {"day": 20, "inclusive": False}),
          ("report", "quarterly", {"month": 3, "day": 20, "inclusive": False}),
          ("report", "yearly", {"month": 6, "day": 20, "inclusive": False}),
          ("report", "yearly", {"month": 12, "day": 15, "inclusive": False})]),
    ],
)  # fmt: skip
def test_one_task_with_several_dated_asks_is_several_obligations(
    task: str, read: list[tuple[str, str, dict[str, Any]]]
) -> None:
    body = ("Đề nghị Quý cơ quan:", f"1. {task}")
    work = read_obligations(body, dt.date(2025, 11, 3), TODAY, None, Review())
    assert [(o.kind, o.recurrence, _dump(o.deadline)) for o in work.obligations] == read


@pytest.mark.parametrize(
    ("words", "names", "flagged"),
    [
        ("3. Bộ Khoa học và Công nghệ chủ trì xây dựng tiêu chí", ("BKHCN",), False),
        ("Giao Bộ Công an kiểm tra an ninh mạng", ("BCA",), False),
        ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương:", ("provincial-committees",),
         False),
        ("Các Bộ, ngành:", ("ministries", "ministerial-agencies"), False),
        ("Các Bộ, ngành, địa phương báo cáo kết quả", None, False),  # everyone addressed
        ("Bộ Xây dựng đề nghị các Bộ, ngành", None, False),  # the issuer speaking
        ("Sở Xây dựng các tỉnh, thành phố chủ trì rà soát", ("provincial-committees",), True),
        ("Ngân hàng Chính sách xã hội bố trí vốn", None, True),  # no such agency: not bound
        ("Rà soát, sửa đổi các cơ chế", None, False),
    ],
)  # fmt: skip
def test_who_must_act(
    words: str, names: tuple[str, ...] | None, flagged: bool, agencies: list[AgencyRecord]
) -> None:
    everyone = ("ministries", "ministerial-agencies", "provincial-committees")
    scope = task_scope(words.split(". ", 1)[-1], AgencyIndex(agencies), everyone)
    assert scope.names == names
    assert bool(scope.notes) == flagged


@pytest.mark.parametrize(
    ("task", "kind"),
    [
        ("Tình hình thực hiện Đề án 06, báo cáo về Bộ Công an trước ngày 20/12/2025.", "report"),
        ("Kết quả triển khai Kế hoạch số 45/KH-BXD, gửi báo cáo trước ngày 15/12/2025.", "report"),
        ("Xây dựng Đề án phát triển nhà ở xã hội, trình Thủ tướng trước ngày 30/6/2026.", "plan"),
        ("Ban hành kế hoạch thực hiện Chỉ thị trước ngày 31/3/2026.", "plan"),
        ("Bộ Xây dựng xin gửi dự thảo để Quý cơ quan có ý kiến trước ngày 5/12/2025.", "report"),
    ],
)
def test_a_named_de_an_does_not_make_a_report_a_plan(task: str, kind: str) -> None:
    assert [a.kind for a in what_is_asked(task)] == [kind]


@pytest.mark.parametrize(
    "sentence",
    [
        "Báo cáo gửi về Bộ trước ngày 25.",  # a day without its month
        "Định kỳ hằng tháng, báo cáo trước ngày 05 của tháng sau.",  # not the period's month
        "Báo cáo chậm nhất vào ngày 05 tháng đầu của quý tiếp theo.",
        "Báo cáo trước ngày 31/02/2026.",  # no such day
        "Định kỳ 6 tháng, báo cáo trước ngày 15/6 và ngày 20/12.",  # not every 6 months
    ],
)
def test_a_stated_deadline_that_cannot_be_a_rule_is_unread(sentence: str) -> None:
    reading = read_deadline(sentence, dt.date(2026, 1, 5))
    assert reading.deadline is None and reading.unread and reading.notes
