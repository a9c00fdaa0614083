"""Reference tables of Vietnamese official documents (Decree 30/2020/NĐ-CP, Appendix III): the
type codes of a number/symbol and the issuers' abbreviations. Read by the dispatch reader
(dondoc.reading.symbols) and by the messages that cite a document (dondoc.notifications.wording).
"""

from __future__ import annotations

# Type codes of Decree 30/2020/NĐ-CP, Appendix III, plus the legal normative documents.
DOCUMENT_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "NĐ": "Nghị định",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "CĐ": "Công điện",
    "GM": "Giấy mời",
}

# Issuers as they appear in symbols (ministries after Resolution 176/2025/QH15).
ISSUERS: dict[str, str] = {
    "TTg": "Thủ tướng Chính phủ",
    "CP": "Chính phủ",
    "VPCP": "Văn phòng Chính phủ",
    "QH": "Quốc hội",
    "BQP": "Bộ Quốc phòng",
    "BCA": "Bộ Công an",
    "BNG": "Bộ Ngoại giao",
    "BNV": "Bộ Nội vụ",
    "BTP": "Bộ Tư pháp",
    "BTC": "Bộ Tài chính",
    "BCT": "Bộ Công Thương",
    "BNNMT": "Bộ Nông nghiệp và Môi trường",
    "BXD": "Bộ Xây dựng",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "BKHCN": "Bộ Khoa học và Công nghệ",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BYT": "Bộ Y tế",
    "BDTTG": "Bộ Dân tộc và Tôn giáo",
    "NHNN": "Ngân hàng Nhà nước Việt Nam",
    "TTCP": "Thanh tra Chính phủ",
}
