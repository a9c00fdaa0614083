"""The task reader's review notes (tasks, first periods, where reports go): English (what
`dondoc import-dispatch` prints) and Vietnamese (what the board shows), by name."""

from __future__ import annotations

from dondoc.reading.review import NoteTable

_TEXTS: dict[str, tuple[str, str]] = {
    "unnumbered": (
        "no numbered tasks: read from paragraphs that ask something",
        "không có nhiệm vụ đánh số: đọc từ các đoạn có yêu cầu thực hiện",
    ),
    "no_task": (
        "no task found in the body: write the obligations by hand",
        "không tìm thấy nhiệm vụ trong nội dung văn bản: cần nhập tay các nghĩa vụ",
    ),
    "inspection": (
        "'{hint}' gives no date for the inspection; its results go into the report that follows it",
        "'{hint}' không nêu thời hạn kiểm tra; kết quả kiểm tra được đưa vào báo cáo nêu ngay "
        "sau đó",
    ),
    "unread": (
        "the text states a deadline ('{phrase}') that was not read: write it",
        "văn bản có nêu thời hạn ('{phrase}') nhưng chưa đọc được: cần nhập",
    ),
    "kind": (
        "kind not recognised: 'plan' (an action)",
        "chưa nhận ra loại nghĩa vụ: đọc là 'kế hoạch' (một việc cần thực hiện)",
    ),
    "no_issue_date": (
        "no issue date: starts with {now}",
        "không có ngày ban hành: bắt đầu theo dõi từ kỳ {now}",
    ),
    "past_periods": (
        "issued in period {issued}; tracking starts with {now} (as of "
        "{today:%d/%m/%Y}) so that past periods are not all overdue: set an earlier "
        "period to track them",
        "ban hành trong kỳ {issued}; theo dõi bắt đầu từ kỳ {now} (tính đến ngày "
        "{today:%d/%m/%Y}) để các kỳ đã qua không bị tính là quá hạn: chọn kỳ sớm hơn nếu cần "
        "theo dõi các kỳ đó",
    ),
    "report_places": (
        "several places to send reports: {places}",
        "có nhiều nơi nhận báo cáo: {places}",
    ),
}


note = NoteTable(_TEXTS)
