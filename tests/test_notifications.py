"""Rendering, the outbox plugin, delivery through Apprise to a real SMTP server, and targets."""

from __future__ import annotations

import datetime as dt
import re
import ssl
import unicodedata
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import EmailMessage, MIMEPart
from email.policy import default
from pathlib import Path
from typing import Any

import apprise.conversion
import pytest
from apprise import NotifyFormat

from dondoc.config.settings import Settings
from dondoc.notifications.channels import (
    apprise_url_for,
    normalise_target,
    privacy_url,
    validate_target,
)
from dondoc.notifications.deliver import deliver, is_transient
from dondoc.notifications.masking import Masker, url_secrets
from dondoc.notifications.message import MessageContext, RenderedMessage, TaskLine
from dondoc.notifications.render import render_compact, render_message
from tests.smtp_server import SMTPServer

SENDER = "Cục Phát triển đô thị - Bộ Xây dựng"
convert_between: Any = apprise.conversion.convert_between  # untyped in Apprise 2.0
HANOI = "Ủy ban nhân dân thành phố Hà Nội"
TITLE = "Báo cáo kết quả thực hiện Chỉ thị số 24/CT-TTg"


def line(
    days_left: int = 14, *, due: dt.date = dt.date(2026, 12, 9), **changes: object
) -> TaskLine:
    values: dict[str, object] = {
        "obligation_code": "annual-report",
        "obligation_title": TITLE,
        "directive_number": "24/CT-TTg",
        "dispatch_number": "351/BXD-PTĐT",
        "dispatch_date": dt.date(2017, 2, 27),
        "period_label": "2026",
        "due_day": due,
        "days_left": days_left,
        "phrase": "trước ngày 10 tháng 12 hàng năm",
        "report_to": "Bộ Xây dựng (Cục Phát triển đô thị)",
    }
    values.update(changes)
    return TaskLine(**values)


def context(*lines: TaskLine, agency: str = HANOI, escalation: bool = False) -> MessageContext:
    return MessageContext(
        agency_code="01",
        agency_name=agency,
        recipient_name="Văn thư",
        lines=lines or (line(),),
        today=dt.date(2026, 11, 25),
        sender_name=SENDER,
        escalation=escalation,
    )


def settings(tmp_path: Path, smtp_url: str | None = None) -> Settings:
    return Settings(_env_file=None, smtp_url=smtp_url, outbox_dir=tmp_path / "outbox")


# --- rendering ---------------------------------------------------------------------------


def test_reminder_reads_as_formal_vietnamese() -> None:
    message = render_message(context())
    assert message.subject == f"[Nhắc hạn] {TITLE} - hạn 09/12/2026"
    html_as_text = convert_between(NotifyFormat.HTML, NotifyFormat.TEXT, message.html)
    for expected in (
        f"Kính gửi: {HANOI}",
        "Thực hiện Công văn số 351/BXD-PTĐT ngày 27/02/2017 của Bộ Xây dựng",
        "triển khai Chỉ thị số 24/CT-TTg của Thủ tướng Chính phủ",
        "Kỳ báo cáo: 2026",
        "Hạn: 09/12/2026 (còn 14 ngày)",
        "Nơi gửi báo cáo: Bộ Xây dựng (Cục Phát triển đô thị)",
        "Nếu Quý cơ quan đã gửi báo cáo, xin vui lòng bỏ qua thông báo này.",
        SENDER,
        "thông báo tự động",
    ):
        assert expected in message.text
        assert expected in html_as_text
    for text in (message.subject, message.text, message.html, message.compact):
        assert unicodedata.is_normalized("NFC", text)


def test_decomposed_input_comes_out_composed() -> None:
    nfd = unicodedata.normalize("NFD", HANOI)
    assert nfd != HANOI
    message = render_message(context(agency=nfd))
    assert f"Kính gửi: {HANOI}" in message.text and nfd not in message.text


@pytest.mark.parametrize(
    ("days_left", "wording", "tag"),
    [
        (14, "còn 14 ngày", "[Nhắc hạn]"),
        (1, "còn 1 ngày", "[Nhắc hạn]"),
        (0, "hạn chót là hôm nay", "[Nhắc hạn]"),
        (-1, "đã quá hạn 1 ngày", "[Quá hạn]"),
        (-15, "đã quá hạn 15 ngày", "[Quá hạn]"),
    ],
)
def test_days_left_and_late_wording(days_left: int, wording: str, tag: str) -> None:
    message = render_message(context(line(days_left)))
    assert f"Hạn: 09/12/2026 ({wording})" in message.text
    assert message.subject.startswith(tag)
    assert wording in message.compact


def test_dates_are_zero_padded_dd_mm_yyyy() -> None:
    message = render_message(
        context(line(due=dt.date(2027, 3, 5), dispatch_date=dt.date(2017, 2, 7)))
    )
    assert "Hạn: 05/03/2027" in message.text and "ngày 07/02/2017" in message.text
    assert "hạn 05/03/2027" in message.subject


def test_several_lines_in_one_message() -> None:
    lines = (line(30, due=dt.date(2026, 12, 25)), line(14), line(7, due=dt.date(2026, 12, 2)))
    assert render_message(context(*lines)).subject == (
        "[Nhắc hạn] 3 nhiệm vụ sắp đến hạn - hạn gần nhất 02/12/2026"
    )
    late = render_message(context(line(-2), line(14)))
    assert late.subject == "[Quá hạn] 2 nhiệm vụ cần báo cáo, trong đó 1 nhiệm vụ đã quá hạn"
    assert "khẩn trương" in late.text
    assert render_message(context(line(-2), line(-9))).subject == "[Quá hạn] 2 nhiệm vụ đã quá hạn"


def test_without_dispatch_or_report_to_and_with_escalation() -> None:
    bare = line(-8, dispatch_number=None, dispatch_date=None, report_to=None)
    message = render_message(context(bare, escalation=True))
    assert "Thực hiện Chỉ thị số 24/CT-TTg của Thủ tướng Chính phủ, " in message.text
    assert "Công văn" not in message.text and "Nơi gửi báo cáo" not in message.text
    assert "lãnh đạo Quý cơ quan" in message.text and "lãnh đạo Quý cơ quan" in message.html


def test_html_is_escaped_and_text_is_not() -> None:
    agency = "<script>alert('x')</script> & Sở Xây dựng"
    message = render_message(context(agency=agency))
    assert "<script>" not in message.html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Sở Xây dựng" in message.html
    assert f"Kính gửi: {agency}" in message.text


def test_compact_fits_zalo_and_counts_what_it_leaves_out() -> None:
    many = tuple(line(14 - i % 20, obligation_title=f"{TITLE} - mục {i}") for i in range(200))
    compact = render_compact(context(*many))
    assert len(compact) <= 2000
    shown = len(re.findall(r"^\d+\. ", compact, flags=re.MULTILINE))
    more = re.search(r"^… và (\d+) nhiệm vụ khác$", compact, flags=re.MULTILINE)
    assert more is not None and shown > 0 and shown + int(more.group(1)) == 200
    assert compact.endswith(SENDER)
    short = render_compact(context(*many[:3]))
    assert "nhiệm vụ khác" not in short and len(re.findall(r"^\d+\. ", short, re.M)) == 3
    assert len(render_compact(context(*many), limit=600)) <= 600


# --- the outbox plugin -----------------------------------------------------------------


def _only(folder: Path, pattern: str) -> Path:
    files = sorted(folder.glob(pattern))
    assert len(files) == 1, files
    assert not list(folder.glob(".*.tmp"))
    return files[0]


def test_outbox_writes_an_eml_that_parses_back(tmp_path: Path) -> None:
    message = render_message(context())
    url = apprise_url_for("email", "vanthu.01@hanoi.gov.vn", settings(tmp_path))
    assert url.startswith("dondocoutbox://")
    result = deliver(url, message)
    assert result.ok, result.error
    path = _only(tmp_path / "outbox", "*.eml")
    assert re.fullmatch(r"\d{8}T\d{12}Z-vanthu\.01@hanoi\.gov\.vn-[0-9a-f]{8}\.eml", path.name)
    raw = path.read_bytes()
    assert re.search(rb"^Subject: =\?utf-8\?", raw, flags=re.MULTILINE)  # RFC 2047, 7-bit header
    parsed = message_from_bytes(raw, policy=default)
    assert isinstance(parsed, EmailMessage)
    assert parsed["Subject"] == message.subject
    assert parsed["To"] == "vanthu.01@hanoi.gov.vn"
    assert parsed["From"].addresses[0].addr_spec == "dondoc@localhost"
    # policy.default mis-joins encoded words in display names; decode per RFC 2047 instead.
    raw_from = message_from_bytes(raw)["From"]  # compat32: the header as written
    assert str(make_header(decode_header(raw_from))).startswith(SENDER)
    assert parsed["Date"] and parsed["Message-ID"]
    assert parsed.get_content_type() == "multipart/alternative"
    html = parsed.get_body(preferencelist=("html",))
    text = parsed.get_body(preferencelist=("plain",))
    assert html is not None and text is not None
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # RFC 5322 line ends

    def content(part: MIMEPart) -> str:
        return str(part.get_content()).replace("\r\n", "\n")

    assert content(html) == message.html
    # The text part is what Apprise's email plugin would derive from the same HTML.
    derived = convert_between(NotifyFormat.HTML, NotifyFormat.TEXT, message.html)
    assert content(text).strip() == derived.strip()
    assert "Hạn: 09/12/2026 (còn 14 ngày)" in content(text)


@pytest.mark.parametrize(("channel", "target"), [("zalo", "4471293847129"), ("zns", "84912345678")])
def test_outbox_writes_chat_targets_as_compact_text(
    tmp_path: Path, channel: str, target: str
) -> None:
    message = render_message(context())
    result = deliver(apprise_url_for(channel, target, settings(tmp_path)), message)
    assert result.ok, result.error
    path = _only(tmp_path / "outbox", f"*-{target}-*.txt")
    assert path.read_text(encoding="utf-8") == message.compact + "\n"


def test_outbox_needs_an_absolute_folder() -> None:
    result = deliver("dondocoutbox://relative/folder?to=a@b.vn", render_message(context()))
    assert not result.ok and not result.transient


# --- delivery through SMTP -------------------------------------------------------------


def test_email_arrives_at_a_real_smtp_server(tmp_path: Path, smtp_server: SMTPServer) -> None:
    message = render_message(context())
    url = apprise_url_for("email", "vanthu.01@hanoi.gov.vn", settings(tmp_path, smtp_server.url))
    result = deliver(url, message)
    assert result == type(result)(ok=True, error=None, transient=False)
    [received] = smtp_server.messages
    assert received.recipients == ("vanthu.01@hanoi.gov.vn",)
    assert received.subject_text == message.subject
    assert received.body_html.strip() == message.html.strip()
    for expected in (f"Kính gửi: {HANOI}", "Hạn: 09/12/2026 (còn 14 ngày)", "Chỉ thị số 24/CT-TTg"):
        assert expected in received.body_text
    assert received.message["From"].addresses[0].addr_spec == "dondoc@bxd.gov.vn"
    assert not (tmp_path / "outbox").exists()  # nothing went to the outbox


def test_smtp_outage_is_transient_and_masks_the_password(smtp_server: SMTPServer) -> None:
    sender = smtp_server.url_with_login("dondoc", "secretpass")
    url = f"{sender}&to=vanthu.01@hanoi.gov.vn"
    message = render_message(context())
    smtp_server.stop()
    failed = deliver(url, message, secrets=[sender])
    assert not failed.ok and failed.transient
    assert failed.error and "refused" in failed.error.lower()
    assert "secretpass" not in failed.error
    smtp_server.start()
    assert deliver(url, message, secrets=[sender]).ok
    assert len(smtp_server.messages) == 1


def test_starttls_still_works(tmp_path: Path) -> None:
    """Apprise's TLS context is built lazily (notifications/smtp_tls.py); STARTTLS must work."""
    cert, key = _self_signed(tmp_path)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    server = SMTPServer(tls_context=tls)
    server.start()
    try:
        base = f"mailtos://127.0.0.1:{server.port}?from=dondoc@bxd.gov.vn&to=a@b.vn&mode=starttls"
        assert deliver(f"{base}&verify=no", render_message(context())).ok
        checked = deliver(base, render_message(context()))  # self-signed: refused when verified
        assert not checked.ok and "certificate" in (checked.error or "").lower()
    finally:
        server.stop()
    assert len(server.messages) == 1


def _self_signed(folder: Path) -> tuple[Path, Path]:
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_unusable_url_is_a_permanent_failure_without_secrets() -> None:
    message = RenderedMessage(subject="Tiêu đề", text="Nội dung", html="<p>Nội dung</p>")
    for url in ("notaurl", "nosuchschema://user:secretpass@host", "mailto://user:secretpass@"):
        result = deliver(url, message, secrets=["secretpass"])
        assert not result.ok and not result.transient
        assert result.error and "secretpass" not in result.error


def test_other_apprise_failures_mask_their_tokens() -> None:
    url = "json://user:pw12345@127.0.0.1:9/hook"  # port 9 (discard): refused
    result = deliver(url, RenderedMessage("Tiêu đề", "Nội dung", "<p>Nội dung</p>"))
    assert not result.ok and result.error and "pw12345" not in result.error
    token = "tgram://123456789:AAbbCCddEEffGG/12345"
    mask = Masker(url_secrets(token, privacy_url(token)))
    assert "AAbbCCddEEffGG" not in mask(f"failed on {token}")


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        ("Socket Exception: [Errno 111] Connection refused", True),
        ("Socket Exception: timed out", True),
        ("Socket Exception: (421, b'4.7.0 Try again later')", True),
        ("SMTP recipient a@b.vn was refused: 450 mailbox busy", True),
        ("Socket Exception: (550, b'5.1.1 No such user')", False),
        ("Socket Exception: (535, b'5.7.8 Authentication failed')", False),
        ("Failed to send JSON notification: Service Unavailable - error code 503.", True),
        ("Failed to send JSON notification: Too Many Requests - error code 429.", True),
        ("Failed to send JSON notification: Bad Request - error code 400.", False),
        ("Invalid ~From~ email specified", False),
    ],
)
def test_transient_or_permanent(error: str, transient: bool) -> None:
    assert is_transient(error) is transient


# --- channels and targets --------------------------------------------------------------


def test_email_url_keeps_the_sender_and_aims_at_the_target(tmp_path: Path) -> None:
    sender = "mailtos://user:p%40ss@smtp.example.vn:587/old@x.vn?from=dondoc@bxd.gov.vn&to=x@y.vn&+X-Tag=a+b"
    url = apprise_url_for("email", "VanThu@HaNoi.gov.vn", settings(tmp_path, sender))
    assert url.startswith("mailtos://user:p%40ss@smtp.example.vn:587?")
    query = url.split("?", 1)[1].split("&")
    assert "from=dondoc@bxd.gov.vn" in query and "+X-Tag=a+b" in query
    assert query[-1] == "to=VanThu@HaNoi.gov.vn" and "to=x@y.vn" not in query
    assert any(q.startswith("name=C%E1%BB%A5c") for q in query)
    named = "mailto://127.0.0.1:2525?from=Văn%20thư%20<a@b.vn>"
    assert "name=" not in apprise_url_for("email", "c@d.vn", settings(tmp_path, named))


def test_other_channels_go_to_the_outbox_or_as_given(tmp_path: Path) -> None:
    conf = settings(tmp_path)
    outbox = f"dondocoutbox://{tmp_path / 'outbox'}?to="
    assert apprise_url_for("zalo", "12345", conf).startswith(outbox + "12345")
    assert apprise_url_for("zns", "84912345678", conf).startswith(outbox + "84912345678")
    assert apprise_url_for("apprise", "tgram://a:b/c", conf) == "tgram://a:b/c"
    with pytest.raises(ValueError, match="unknown channel"):
        apprise_url_for("fax", "1", conf)


def test_privacy_url_never_shows_the_password() -> None:
    shown = privacy_url("mailto://dondoc:secretpass@127.0.0.1:2525?from=a@b.vn&to=c@d.vn")
    assert "secretpass" not in shown and "****" in shown
    assert privacy_url("nosuchschema://user:secretpass@x") == "nosuchschema://****"


@pytest.mark.parametrize(
    ("channel", "target", "problem"),
    [
        ("email", "vanthu@hanoi.gov.vn", None),
        ("email", "vanthu@hanoi", "not a valid email address"),
        ("email", "van thu@hanoi.gov.vn", "not a valid email address"),
        ("email", "Van Thu <vanthu@hanoi.gov.vn>", "not a valid email address"),
        ("email", "", "empty"),
        ("email", "vanthu.bgdđt@moet.gov.vn", "not an ASCII email address"),
        ("zalo", "4471293847129", None),
        ("zalo", "abc def", "not a Zalo chat id"),
        ("zalo", "  ", "empty"),
        ("zns", "84912345678", None),
        ("zns", "0912 345 678", None),
        ("zns", "+84 24 3825 1234", None),
        ("zns", "912345678", "not a Vietnamese phone number"),
        ("zns", "8491234", "not a Vietnamese phone number"),
        ("zns", "840912345678", "not a Vietnamese phone number"),
        ("apprise", "mailto://user:pw@example.vn?from=a@example.vn", None),
        ("apprise", "not a url", "not an Apprise URL"),
        ("apprise", "nosuchschema://user:secretpass@host", "Apprise cannot use"),
        ("fax", "1", "unknown channel"),
    ],
)
def test_validate_target(channel: str, target: str, problem: str | None) -> None:
    found = validate_target(channel, target)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found and "secretpass" not in found


def test_normalise_target() -> None:
    assert normalise_target("zns", "0912 345 678") == "84912345678"
    assert normalise_target("zns", "+84 (24) 3825-1234") == "842438251234"
    assert normalise_target("email", " VanThu@HaNoi.gov.vn ") == "vanthu@hanoi.gov.vn"
    assert normalise_target("zalo", " 4471293847129 ") == "4471293847129"


def test_a_bare_relay_url_gets_a_sender_address(smtp_server: SMTPServer) -> None:
    settings = Settings(smtp_url=f"mailto://127.0.0.1:{smtp_server.port}")
    url = apprise_url_for("email", "vanthu@hanoi.gov.vn", settings)
    message = RenderedMessage(subject="Nhắc hạn", text="Kính gửi", html="<p>Kính gửi</p>")
    assert deliver(url, message).ok
    received = smtp_server.messages[-1]
    assert received.recipients == ("vanthu@hanoi.gov.vn",)
    assert "dondoc@localhost" in str(received.message["From"])
