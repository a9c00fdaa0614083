"""The deadline reader's review notes: English (what `dondoc import-dispatch` prints) and
Vietnamese (what the board shows), by name, with the fields each one quotes."""

from __future__ import annotations

from dondoc.reading.review import NoteTable

_TEXTS: dict[str, tuple[str, str]] = {
    "loose": (
        "'{quote} ...' states a date that was not understood",
        "'{quote} ...' có nêu ngày nhưng chưa đọc được",
    ),
    "no_date_word": (
        "'{quote}': no date (continuous, on demand or urgent)",
        "'{quote}': không có thời hạn (thường xuyên, theo yêu cầu hoặc khẩn)",
    ),
    "none": ("no deadline stated", "không thấy thời hạn trong văn bản"),
    "work_period": (
        "'{quote}' is a period of work: its end is taken as the deadline",
        "'{quote}' là thời gian thực hiện: ngày kết thúc được lấy làm thời hạn",
    ),
    "mixed_mark": (
        "'{mark}' mixes 'at the latest' and 'before': read as before (exclusive)",
        "'{mark}' vừa là 'chậm nhất' vừa là 'trước': đọc là trước ngày (không tính ngày đó)",
    ),
    "time": (
        "a time of day ({time}) is given; dondoc tracks whole days: day D kept",
        "có nêu giờ ({time}); dondoc theo dõi theo ngày: giữ ngày D",
    ),
    "more_dates": (
        "more dates in this task ({others}): '{quote}' is used",
        "nhiệm vụ nêu nhiều ngày ({others}): dùng '{quote}'",
    ),
    "recurrences": (
        "several recurrences named ({named})",
        "văn bản nêu nhiều kỳ hạn ({named_vi})",
    ),
    "impossible": ("impossible date: {exc}", "ngày không có thực: '{quote}'"),
    "after_content": (
        "it follows 'kết quả'/'tình hình': it may name the period reported on",
        "đứng sau 'kết quả'/'tình hình': có thể là kỳ báo cáo chứ không phải thời hạn",
    ),
    "quarter_next": (
        "due in the first month of the next quarter: set by hand",
        "hạn trong tháng đầu của quý sau: cần nhập tay",
    ),
    "next_month": (
        "due on day {day} of the month after the period; a monthly deadline falls in "
        "the period's own month: write the day to use, or null",
        "hạn là ngày {day} của tháng sau kỳ; thời hạn hằng tháng phải nằm trong tháng của kỳ: "
        "nhập ngày cần dùng, hoặc để trống",
    ),
    "bare_day": (
        "'{mark} {day}' names a day but no month",
        "'{mark} {day}' nêu ngày nhưng không nêu tháng",
    ),
    "dated_one_off": (
        "a dated one-off, though the text also says '{said}'",
        "thời hạn một lần có ghi ngày, dù văn bản còn nêu '{said_vi}'",
    ),
    "month_in_monthly": (
        "a month is named in a monthly rule: only the day is used",
        "quy định hằng tháng có nêu tháng: chỉ dùng ngày",
    ),
    "no_year_no_issue": (
        "no year given and no issue date to count from",
        "không nêu năm và không có ngày ban hành để tính",
    ),
    "no_year": (
        "no year given: read as the next {day:02d}/{month:02d} on or after the issue date",
        "không nêu năm: đọc là ngày {day:02d}/{month:02d} gần nhất kể từ ngày ban hành",
    ),
    "not_repeating": (
        "the dates {pairs} do not repeat every {span} months",
        "các ngày {dates} không lặp lại sau mỗi {span} tháng",
    ),
    "not_every": (
        "not every {said} date is written: the same day in each period is assumed",
        "văn bản không ghi đủ các ngày {said_vi}: giả định cùng ngày đó ở mỗi kỳ",
    ),
    "issue_date_unread": (
        "counted from the issue date, not read",
        "tính từ ngày ban hành, nhưng chưa đọc được ngày ban hành",
    ),
    "counted_from": (
        "counted from '{source}', whose date is not in the text: counted from the "
        "issue date {issued:%d/%m/%Y} instead",
        "tính từ '{source}', nhưng văn bản không nêu ngày đó: tính từ ngày ban hành "
        "{issued:%d/%m/%Y}",
    ),
    "no_period": (
        "'{quote}' without a period: yearly assumed, and no date",
        "'{quote}' không nêu kỳ: giả định hằng năm, không có thời hạn",
    ),
    "how_often": (
        "'{quote}' says how often, not by when: no date",
        "'{quote}' chỉ nêu tần suất, không nêu thời hạn",
    ),
}


note = NoteTable(_TEXTS)
