"""A throw-away Dovecot IMAP server on loopback, for the tests and the ingest benchmark.

It runs from a temporary folder of its own (world-readable, since Dovecot's unprivileged
login and mail processes must reach their sockets and maildirs), with a self-signed
certificate for IMAP over TLS and a plain listener beside it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

CONF = """\
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binary() -> str | None:
    found = shutil.which("dovecot")
    if found:
        return found
    return "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None


def unavailable_reason() -> str | None:
    """Why no server can be started here, or None when one can."""
    if binary() is None:
        return "Dovecot is not installed (apt-get install dovecot-imapd)"
    if os.geteuid() != 0:
        return "the Dovecot set-up runs the server as root with its own users"
    try:
        pwd.getpwnam("dovecot")
        pwd.getpwnam("dovenull")
    except KeyError:
        return "Dovecot's system users (dovecot, dovenull) are missing"
    return None


class Dovecot:
    def __init__(self, tmp: Path, plain_port: int, tls_port: int, user: str, password: str):
        self.tmp = tmp
        self.plain_port = plain_port
        self.tls_port = tls_port
        self.user = user
        self.password = password
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

    def stop(self) -> None:
        # SIGTERM to the master we started (doveadm stop would wait ~3 s for it to finish).
        try:
            os.kill(int((self.tmp / "run" / "master.pid").read_text().strip()), signal.SIGTERM)
        except (OSError, ValueError):
            pass
        shutil.rmtree(self.tmp, ignore_errors=True)


def start(user: str = "podpora", password: str = "secret", timeout: float = 10) -> Dovecot:
    """Start a server; raises RuntimeError (with Dovecot's log) when it does not come up."""
    reason = unavailable_reason()
    if reason:
        raise RuntimeError(reason)
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
    (tmp / "users").write_text(f"{user}:{{PLAIN}}{password}::::::\n")
    server = Dovecot(tmp, free_port(), free_port(), user, password)
    (tmp / "dovecot.conf").write_text(
        CONF.format(tmp=tmp, plain_port=server.plain_port, tls_port=server.tls_port)
    )
    # The daemon keeps inherited pipes open: give it none, or run() waits for it to exit.
    subprocess.run(
        [binary(), "-c", server.conf],
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", server.tls_port), timeout=1).close()
            return server
        except OSError:
            if time.monotonic() > deadline:
                log = (tmp / "dovecot.log").read_text() if (tmp / "dovecot.log").exists() else ""
                server.stop()
                raise RuntimeError("Dovecot did not start: " + log) from None
            time.sleep(0.05)
