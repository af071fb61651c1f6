"""Real servers for the e-mail tests: an SMTP sink (aiosmtpd) and Dovecot over IMAP/TLS."""

from __future__ import annotations

import logging
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from .helpers import MAILBOX_ADDRESS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """What reached our SMTP server, as raw bytes with the envelope."""

    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def to(self, address: str):
        return [e for e in self.messages if address in e.rcpt_tos]


@pytest.fixture(scope="session")
def smtp_server():
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink, port
    controller.stop()


@pytest.fixture(autouse=True)
def smtp(_isolated, settings, smtp_server):
    """Every test here sends over real SMTP to the sink; the sink is empty at the start."""
    sink, port = smtp_server
    sink.messages.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = MAILBOX_ADDRESS
    settings.MESSAGE_ID_DOMAIN = "podpora.example"
    return sink


@pytest.fixture
def mailbox(cast):
    from podpora.mail.models import Mailbox

    return Mailbox.objects.create(
        vendor=cast.vendor,
        name="Podpora ACME",
        address=MAILBOX_ADDRESS,
        team=cast.team,
        product=cast.product,
    )


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """receive() + process() the way a transport does, running after-commit work."""

    def run(raw: bytes, mailbox=None):
        from podpora.mail import ingest

        with django_capture_on_commit_callbacks(execute=True):
            inbound = ingest.receive(raw, mailbox)
            return ingest.process(inbound)

    return run


# --------------------------------------------------------------------------- Dovecot

DOVECOT_CONF = """\
protocols = imap
listen = 127.0.0.1
base_dir = {tmp}/run
state_dir = {tmp}/state
log_path = {tmp}/dovecot.log
ssl = yes
ssl_cert = <{tmp}/cert.pem
ssl_key = <{tmp}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{tmp}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {tmp}/users
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={tmp}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {plain_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = 1
auth_failure_delay = 0
"""


class Dovecot:
    user = "podpora"
    password = "secret"

    def __init__(self, tmp: Path, plain_port: int, tls_port: int):
        self.tmp = tmp
        self.plain_port = plain_port
        self.tls_port = tls_port
        self.cafile = str(tmp / "cert.pem")
        self.conf = str(tmp / "dovecot.conf")
        self._folders = 0

    def client(self):
        import ssl

        from imapclient import IMAPClient

        ctx = ssl.create_default_context(cafile=self.cafile)
        client = IMAPClient("127.0.0.1", port=self.tls_port, ssl=True, ssl_context=ctx, timeout=10)
        client.login(self.user, self.password)
        return client

    def new_folder(self) -> str:
        """A fresh folder per test keeps tests apart on one server."""
        self._folders += 1
        name = f"t{os.getpid()}x{self._folders}"
        with self.client() as c:
            c.create_folder(name)
        return name

    def append(self, folder: str, *messages: bytes) -> None:
        with self.client() as c:
            for raw in messages:
                c.append(folder, raw)

    def status(self, folder: str) -> dict:
        with self.client() as c:
            if not c.folder_exists(folder):
                return {"messages": 0, "unseen": 0}
            s = c.folder_status(folder, ["MESSAGES", "UNSEEN"])
            return {"messages": s[b"MESSAGES"], "unseen": s[b"UNSEEN"]}


@pytest.fixture(scope="session")
def dovecot():
    binary = shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
    )
    if binary is None:
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd): IMAP tests skipped")
    if os.geteuid() != 0:
        pytest.skip("the Dovecot fixture runs the server as root with its own users")
    try:
        pwd.getpwnam("dovecot")
        pwd.getpwnam("dovenull")
    except KeyError:
        pytest.skip("Dovecot's system users (dovecot, dovenull) are missing")
    # Not under pytest's own temporary tree: that is private (0700) to root, and Dovecot's
    # unprivileged login and mail processes must reach their sockets and maildirs.
    tmp = Path(tempfile.mkdtemp(prefix="podpora-dovecot-"))
    tmp.chmod(0o755)
    for sub in ("run", "state", "mail"):
        (tmp / sub).mkdir()
    shutil.chown(tmp / "mail", "dovecot", "dovecot")
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem"),
            "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (tmp / "users").write_text(f"{Dovecot.user}:{{PLAIN}}{Dovecot.password}::::::\n")
    server = Dovecot(tmp, free_port(), free_port())
    (tmp / "dovecot.conf").write_text(
        DOVECOT_CONF.format(tmp=tmp, plain_port=server.plain_port, tls_port=server.tls_port)
    )
    # The daemon keeps inherited pipes open: give it none, or run() waits for it to exit.
    subprocess.run(
        [binary, "-c", server.conf],
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", server.tls_port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail("Dovecot did not start: " + (tmp / "dovecot.log").read_text())
            time.sleep(0.05)
    yield server
    # SIGTERM to the master we started (doveadm stop would wait ~3 s for it to finish).
    try:
        os.kill(int((tmp / "run" / "master.pid").read_text().strip()), signal.SIGTERM)
    except (OSError, ValueError):
        pass
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture
def imap_mailbox(cast, dovecot, settings):
    """A mailbox of vendor ACME on Dovecot over TLS, in a folder of its own."""
    from podpora.mail.models import Mailbox

    settings.MAIL_IMAP_CAFILE = dovecot.cafile
    folder = dovecot.new_folder()
    return Mailbox.objects.create(
        vendor=cast.vendor,
        name="Podpora ACME (IMAP)",
        address=MAILBOX_ADDRESS,
        imap_host="127.0.0.1",
        imap_port=dovecot.tls_port,
        imap_user=dovecot.user,
        imap_password=dovecot.password,
        imap_folder=folder,
        imap_security=Mailbox.Security.TLS,
        team=cast.team,
        product=cast.product,
    )
