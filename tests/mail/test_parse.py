"""parse_message on our own Czech fixtures, hostile input, and random bytes (it never raises)."""

from __future__ import annotations

import hashlib
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podpora.mail.parse import (
    MAX_FILENAME_LENGTH,
    ParsedMessage,
    decode_bytes,
    decode_header_text,
    message_ids,
    parse_header_params,
    parse_message,
    safe_filename,
)

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = Path(
    os.environ.get("PODPORA_CORPUS")
    or Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
)


@pytest.fixture(autouse=True)
def _isolated():
    """Pure tests: replace the suite-wide Django fixture (this file runs with -p no:django)."""


def load(name: str) -> ParsedMessage:
    return parse_message((FIXTURES / name).read_bytes())


# ----------------------------------------------------------------------------- Czech fixtures


def test_windows_1250_quoted_printable_and_encoded_subject() -> None:
    m = load("cz_windows1250_qp.eml")
    assert m.subject == "Požadavek č. 123 – nefunguje tisk faktur"
    assert (m.from_name, m.from_address) == (
        "Petra Dvořáková",
        "petra.dvorakova@strojirny-zdar.example",
    )
    assert m.to == [("Podpora", "podpora@podpora.example")]
    assert "chyba „Tiskárna není dostupná“ a aplikace spadne" in m.text_body
    assert "Strojírny Žďár s.r.o." in m.text_body
    assert m.html_body is None and m.attachments == []
    assert m.message_id == "20261112094107.4711@strojirny-zdar.example"
    assert m.date == datetime(2026, 11, 12, 8, 41, 7, tzinfo=UTC)
    assert m.return_path == "petra.dvorakova@strojirny-zdar.example"
    assert m.defects == []


def test_iso_8859_2_base64_body_and_raw_8bit_headers() -> None:
    raw = (FIXTURES / "cz_iso88592_base64_8bit_headers.eml").read_bytes()
    assert "Účetní".encode("iso-8859-2") in raw  # really undeclared 8-bit bytes in the header
    m = parse_message(raw)
    assert m.subject == "Účetní uzávěrka se zasekne - modul Sklad"
    assert (m.from_name, m.from_address) == ("Jiří Šťastný", "jiri.stastny@example.cz")
    assert "Účetní uzávěrka se zasekne na kroku 3" in m.text_body
    assert "Děkuji, Jiří Šťastný" in m.text_body


def test_raw_8bit_header_without_any_charset_falls_back_to_windows_1250() -> None:
    raw = "Subject: Žluťoučký kůň\nFrom: a@b.cz\n\nbody\n".encode("cp1250")
    assert parse_message(raw).subject == "Žluťoučký kůň"
    raw_utf8 = "Subject: Žluťoučký kůň\nFrom: a@b.cz\n\nbody\n".encode()
    assert parse_message(raw_utf8).subject == "Žluťoučký kůň"


def test_utf8_rfc2231_name_html_and_inline_image() -> None:
    m = load("cz_utf8_rfc2231_html.eml")
    assert m.subject == "Přehled chyb za říjen"
    assert m.from_name == "Tomáš Král"
    assert m.cc == [
        ("Novák, Jan", "jan.novak@firma.example"),
        ("Eva Černá", "eva.cerna@firma.example"),
    ]
    assert m.text_body.startswith("Dobrý den,\n\nv příloze posílám přehled chyb za říjen.")
    assert m.html_body is not None and "<script>" in m.html_body  # raw; sanitising is separate
    names = [(a.filename, a.content_type, a.inline) for a in m.attachments]
    assert names == [
        ("attachment-1.png", "image/png", True),
        (
            "Přehled chyb.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            False,
        ),
    ]
    image, sheet = m.attachments
    assert image.content_id == "logo@firma.example"
    assert image.content.startswith(b"\x89PNG")
    assert sheet.original_filename == "Přehled chyb.xlsx"
    assert sheet.size == 1028 and sheet.content.startswith(b"PK\x03\x04")
    assert sheet.sha256 == hashlib.sha256(sheet.content).hexdigest()


def test_reply_threading_headers() -> None:
    m = load("cz_reply_quoted.eml")
    assert m.subject == "Re: [AC-2026-00123] Požadavek č. 123"
    assert m.in_reply_to == "podpora.n-77.a1b2c3@podpora.example"
    assert m.references == [
        "20261112094107.4711@strojirny-zdar.example",
        "podpora.n-77.a1b2c3@podpora.example",
    ]
    assert "Dne 12. 11. 2026 v 10:15 Jan Novák napsal(a):" in m.text_body


def test_auto_reply_headers() -> None:
    m = load("cz_auto_reply.eml")
    assert m.auto_submitted == "auto-replied"
    assert m.x_auto_response_suppress == "All"
    assert m.subject == "Automatická odpověď: [AC-2026-00123]"
    assert m.text_body.startswith("Jsem mimo kancelář")


def test_delivery_status_notification() -> None:
    m = load("cz_dsn_bounce.eml")
    assert m.content_type == "multipart/report"
    assert m.report_type == "delivery-status"
    assert m.is_delivery_report
    assert m.report_original_message_id == "podpora.abc123@podpora.example"
    assert m.return_path == ""  # the null path <>, not "missing"
    assert m.from_address == "MAILER-DAEMON@mx.podpora.example"
    assert "550 5.1.1 User unknown" in m.text_body
    report, original = m.attachments
    assert (report.content_type, report.filename) == (
        "message/delivery-status",
        "Delivery report.txt",
    )
    assert b"Final-Recipient: rfc822; neexistuje@firma.example" in report.content
    assert original.content_type == "message/rfc822"
    assert original.filename == "[AC-2026-00123] Přijali jsme váš požadavek.eml"
    assert original.content.startswith(b"Return-Path: <podpora@podpora.example>\n")
    assert b"Message-ID: <podpora.abc123@podpora.example>" in original.content


# ----------------------------------------------------------------------------- hostile input


def test_hostile_attachment_names_are_neutralised() -> None:
    m = load("hostile_attachment_names.eml")
    assert m.subject == "<script>alert(1)</script>"  # decoded verbatim; escaping is the view's job
    names = [a.filename for a in m.attachments]
    assert names[:8] == [
        "passwd",
        "win.ini",
        "y.txt",
        "shadow",
        "evil name  Bcc_ x@y.z.txt",
        "invoice fdp.exe",
        "_CON.txt",
        "attachment-8.bin",
    ]
    assert len(names[8]) == MAX_FILENAME_LENGTH and names[8].endswith("a.pdf")
    assert names[9:] == ["report.pdf", "bashrc"]
    for name in names:
        assert "/" not in name and "\\" not in name and ".." not in name
        assert not re.search(r"[\x00-\x1f\u202e]", name)
    assert m.attachments[3].original_filename == "../../etc/shadow"  # kept for the audit trail


def test_ten_thousand_cc_addresses_are_capped() -> None:
    cc = ",\r\n ".join(f"Uživatel {i} <user{i}@example.com>" for i in range(10_000))
    raw = f"From: a@example.com\r\nTo: podpora@podpora.example\r\nCc: {cc}\r\nSubject: x\r\n\r\nhi\r\n"
    m = parse_message(raw.encode())
    assert m.cc_capped and not m.to_capped
    assert len(m.cc) == 100
    assert m.cc[0] == ("Uživatel 0", "user0@example.com")
    assert "RecipientsCapped" in m.defects
    assert len(parse_message(raw.encode(), max_recipients=5).cc) == 5


def test_group_syntax_and_display_name_spoofing() -> None:
    raw = (
        b'From: "boss@vendor.example" <attacker@evil.example>\n'
        b"To: undisclosed-recipients:;\nCc: Team: a@x.cz, b@x.cz;\n\nhi\n"
    )
    m = parse_message(raw)
    assert m.from_address == "attacker@evil.example"
    assert m.from_name == "boss@vendor.example"
    assert m.to == []
    assert [a for _, a in m.cc] == ["a@x.cz", "b@x.cz"]


def test_missing_headers_and_garbage() -> None:
    m = parse_message(b"")
    assert (m.message_id, m.subject, m.from_address, m.date, m.text_body) == (
        None,
        "",
        None,
        None,
        "",
    )
    m = parse_message(b"\x00\xff\xfe garbage without headers")
    assert m.from_address is None and isinstance(m.text_body, str)


def test_unknown_and_lying_charsets() -> None:
    raw = (
        b"Subject: =?x-unknown?Q?P=F8=EDli=9A?=\nContent-Type: text/plain; charset=x-klingon\n"
        b"Content-Transfer-Encoding: 8bit\n\n" + "Příliš žluťoučký".encode("cp1250")
    )
    m = parse_message(raw)
    assert m.subject == "Příliš"
    assert m.text_body == "Příliš žluťoučký"
    assert any(d.startswith("CharsetGuessed") for d in m.defects)
    m = parse_message(b"Content-Type: text/plain; charset=us-ascii\n\n" + "čaj".encode())
    assert m.text_body == "čaj"


def test_broken_transfer_encodings_still_decode() -> None:
    raw = (
        b"Content-Type: multipart/mixed; boundary=B\n\n--B\n"
        b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable   \n\n"
        b"p=C5=99=C3=ADli=C5=A1=\n dlouh=C3=BD\n--B\n"
        b"Content-Type: application/pdf; name=a.pdf\nContent-Transfer-Encoding: base64\n\n"
        b"JVBERi0x LjQK\n!!**!!\nJ\n--B--\n"
    )
    m = parse_message(raw)
    assert m.text_body.startswith("příliš dlouhý")
    assert m.attachments[0].content == b"%PDF-1.4\n"


def test_message_id_normalisation_and_reference_cap() -> None:
    assert message_ids(" <a@b.c> ") == ["a@b.c"]
    assert message_ids("a@b.c") == ["a@b.c"]
    assert message_ids("<a@b.c> <a@b.c>\r\n <d@e.f>") == ["a@b.c", "d@e.f"]
    assert message_ids("<" + "x" * 300 + "@y>") == []
    refs = " ".join(f"<r{i}@x>" for i in range(1000)) + " <self@x>"
    m = parse_message(f"Message-ID: <self@x>\nReferences: {refs}\n\nhi\n".encode())
    assert len(m.references) == 50
    assert m.references[0] == "r0@x" and m.references[-1] == "r999@x"  # root and newest
    assert "self@x" not in m.references
    huge = " ".join(f"<r{i}@x>" for i in range(100_000))
    assert len(parse_message(f"References: {huge}\n\nhi\n".encode()).references) == 50


def test_header_block_repair_keeps_headers_after_a_stray_line() -> None:
    raw = b"---- Original email message ----\nFrom: a@b.cz\nSubject: Hi\nTo: c@d.cz\n\nbody\n"
    m = parse_message(raw)
    assert (m.from_address, m.subject, m.text_body) == ("a@b.cz", "Hi", "body\n")
    assert "RepairedHeaderBlock" in m.defects
    # A real body after a missing blank line is left alone.
    m = parse_message(b"From: a@b.cz\nSubject: Hi\nHello there\nRegards\n")
    assert m.subject == "Hi" and "Hello there" in m.text_body


def test_deeply_nested_multiparts_and_messages_do_not_recurse_forever() -> None:
    depth = 200
    head = b"".join(
        f"Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n".encode() for i in range(depth)
    )
    tail = b"".join(f"\n--b{i}--\n".encode() for i in reversed(range(depth)))
    m = parse_message(b"Subject: deep\n" + head + b"Content-Type: text/plain\n\nbottom" + tail)
    assert m.subject == "deep"
    nested = b"Subject: outer\nContent-Type: message/rfc822\n\n" * 60 + b"Subject: inner\n\nhi\n"
    m = parse_message(nested)
    assert m.subject == "outer" and len(m.attachments) == 1
    # 1,400 levels: the leaves below our depth limit are lifted up, nothing is lost.
    m = parse_message(b"Subject: too deep\n" + head * 7 + b"bottom")
    assert (m.subject, m.text_body) == ("too deep", "bottom")
    assert "MimeTooDeep" in m.defects
    # Deeper than the stdlib parser can recurse: the headers survive.
    m = parse_message(b"Subject: outer\nContent-Type: message/rfc822\n\n" * 2400 + b"hi")
    assert m.subject == "outer" and "MimeTooDeep" in m.defects


def test_format_flowed_is_unwrapped() -> None:
    raw = (
        b"Content-Type: text/plain; charset=utf-8; format=flowed\n\n"
        b"Toto je dlouh\xc3\xbd \nodstavec.\n> citace \n> dal\xc5\xa1\xc3\xad\n-- \nJan\n"
    )
    assert parse_message(raw).text_body == "Toto je dlouhý odstavec.\n> citace další\n-- \nJan\n"


def test_html_only_message_gets_a_text_body() -> None:
    raw = b"Content-Type: text/html; charset=utf-8\n\n<p>Dobr\xc3\xbd den,</p><p>tisk<br>nefunguje</p>"
    m = parse_message(raw)
    assert m.text_body == "Dobrý den,\n\ntisk\nnefunguje"
    assert m.html_body is not None


# ----------------------------------------------------------------------------- helpers


def test_decode_header_text_variants() -> None:
    assert decode_header_text("=?utf-8?B?xb5sdcWlb3XEjWvDvQ==?=") == "žluťoučký"
    # whitespace between adjacent encoded-words goes
    assert decode_header_text("=?utf-8?Q?a?= =?utf-8?Q?b?=") == "ab"
    assert decode_header_text("=?utf-8?B?xb5s?= =?utf-8?B?dcWl?=") == "žluť"
    assert decode_header_text("=?utf-8?Q?=C5?= =?utf-8?Q?=BElu=C5=A5?=") == "žluť"  # split char
    assert decode_header_text("=?UTF-8?Q? Personal=C3=A4nderung?=") == " Personaländerung"
    assert decode_header_text("=?utf-8*cs?Q?=C4=8Dau?=") == "čau"
    assert decode_header_text("x =?bogus?Q?=E8aj?= y") == "x čaj y"


def test_parse_header_params_rfc2231_and_quoting() -> None:
    params = parse_header_params(
        "attachment; filename*0*=UTF-8''P%C5%99ehled%20; filename*1*=chyb.xlsx; size=12"
    )
    assert params == {"size": "12", "filename": "Přehled chyb.xlsx"}
    assert parse_header_params('a; name="x;\\"y\\".txt"')["name"] == 'x;"y".txt'
    assert parse_header_params('a; name="=?utf-8?B?xb5sdcWl?=.pdf"')["name"] == "žluť.pdf"
    assert parse_header_params("a; filename*=%2e%2e%2fx")["filename"] == "../x"


def test_decode_bytes_chain() -> None:
    assert decode_bytes("žluť".encode("cp1250"), "iso-8859-2")[0] != "žluť"  # declared wins
    assert decode_bytes("žluť".encode(), "windows-1250")[0] == "ĹľluĹĄ"  # declared wins
    assert decode_bytes("žluť".encode("cp1250"), None) == ("žluť", True)
    assert decode_bytes(b"\x93quotes\x94", "iso-8859-1")[0] == "\u201cquotes\u201d"
    assert decode_bytes("世界".encode("gbk"), "gb2312")[0] == "世界"


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("../../etc/passwd", "text/plain", "passwd"),
        ("C:\\x\\y", "text/plain", "y"),
        ("..", "image/png", "attachment-1.png"),
        ("", "message/rfc822", "attachment-1.eml"),
        (None, "application/pdf", "attachment-1.pdf"),
        (".htaccess", "text/plain", "htaccess"),
        ("a..b...c.txt", "text/plain", "a.b.c.txt"),
        ("NUL", "text/plain", "_NUL"),
        ("lpt1.txt", "text/plain", "_lpt1.txt"),
        ("zpráva\u202egpj.exe", "text/plain", "zpráva gpj.exe"),
        ("a\x00b\r\nc.txt", "text/plain", "a b  c.txt"),
        ("Přehled chyb.xlsx", "application/octet-stream", "Přehled chyb.xlsx"),
    ],
)
def test_safe_filename_examples(name: str | None, content_type: str, expected: str) -> None:
    assert safe_filename(name, content_type) == expected


def test_safe_filename_keeps_extension_when_shortening() -> None:
    name = safe_filename("ř" * 500 + ".xlsx")
    assert name.endswith(".xlsx") and len(name) <= MAX_FILENAME_LENGTH
    assert len(name.encode()) <= 240


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(max_size=400), st.sampled_from(["application/pdf", "text/plain", "x/y", ""]))
def test_safe_filename_properties(name: str, content_type: str) -> None:
    result = safe_filename(name, content_type or "application/octet-stream", 3)
    assert result
    assert len(result) <= MAX_FILENAME_LENGTH
    assert "/" not in result and "\\" not in result and ".." not in result
    assert result not in (".", "..") and not result.startswith(".")
    assert not re.search(r"[\x00-\x1f\x7f]", result)
    assert safe_filename(result, content_type or "application/octet-stream", 3) == result


# ----------------------------------------------------------------------------- never raises


def _check(parsed: ParsedMessage) -> None:
    assert isinstance(parsed, ParsedMessage)
    assert isinstance(parsed.text_body, str) and isinstance(parsed.subject, str)
    for attachment in parsed.attachments:
        assert attachment.filename and "/" not in attachment.filename


@settings(max_examples=300, deadline=None, database=None)
@given(st.binary(max_size=3000))
def test_parse_never_raises_on_random_bytes(raw: bytes) -> None:
    _check(parse_message(raw))


_TOKENS = [
    b"\r\n", b"\n\n", b"--", b"=?utf-8?B?", b"=?x?Q?=FF", b"?=", b"\x00", b"\xff\xfe",
    b"Content-Type: multipart/mixed; boundary=", b"Content-Type: message/rfc822\n\n",
    b"Content-Transfer-Encoding: base64\n", b"charset=", b"filename*0*=", b"'%", b";", b'"',
    b"begin 644 x\n", b"<", b">", b"@", b"From: ", b"\nContent-Type: text/html\n\n<p onclick=x>",
]  # fmt: skip


def _seeds() -> list[bytes]:
    seeds = [p.read_bytes() for p in sorted(FIXTURES.glob("*.eml"))]
    emails = CORPUS / "emails"
    if emails.is_dir():
        small = [p for p in sorted(emails.rglob("*")) if p.suffix in (".eml", ".box")]
        seeds += [p.read_bytes() for p in small if p.stat().st_size < 12_000][::3]
    return seeds


SEEDS = _seeds()


@settings(
    max_examples=250, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.sampled_from(SEEDS),
    st.lists(
        st.tuples(
            st.floats(0, 1),
            st.sampled_from(["delete", "insert", "replace", "truncate", "duplicate"]),
            st.one_of(st.sampled_from(_TOKENS), st.binary(min_size=1, max_size=8)),
            st.integers(1, 200),
        ),
        min_size=1,
        max_size=8,
    ),
)
def test_parse_never_raises_on_mutated_messages(seed: bytes, edits: list) -> None:
    data = bytearray(seed)
    for where, action, token, length in edits:
        at = int(where * len(data))
        if action == "delete":
            del data[at : at + length]
        elif action == "insert":
            data[at:at] = token
        elif action == "replace":
            data[at : at + len(token)] = token
        elif action == "truncate":
            del data[at:]
        else:
            data[at:at] = data[at : at + length] * 3
    _check(parse_message(bytes(data)))
