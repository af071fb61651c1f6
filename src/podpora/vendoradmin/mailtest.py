"""The mailbox page's "test connection": an IMAP log-in with a short timeout, told in Czech."""

from __future__ import annotations

import socket
import ssl

from django.utils.translation import gettext as _

TIMEOUT = 10  # seconds: the manager waits for the page


def try_login(mailbox) -> tuple[bool, str]:
    """(succeeded, what happened) for the mailbox's stored server, user and password."""
    from imapclient.exceptions import IMAPClientError, LoginError

    from podpora.mail import imap

    if not mailbox.imap_host:
        return False, _(
            "Schránka nemá IMAP server: zprávy do ní přicházejí jen od poštovního serveru."
        )
    where = {"host": mailbox.imap_host, "port": mailbox.imap_port}
    try:
        client = imap.connect(mailbox, timeout=TIMEOUT)
    except LoginError:
        return False, _(
            "Server %(host)s odmítl přihlášení: zkontrolujte uživatele a heslo."
        ) % where
    except TimeoutError:
        return False, _("Server %(host)s:%(port)s neodpověděl do %(seconds)s sekund.") % {
            **where,
            "seconds": TIMEOUT,
        }
    except ssl.SSLError:
        return False, _("Zabezpečené spojení se serverem %(host)s se nepodařilo navázat.") % where
    except socket.gaierror:
        return False, _("Server %(host)s neexistuje (jméno nelze přeložit na adresu).") % where
    except (OSError, IMAPClientError):
        return False, _("K serveru %(host)s:%(port)s se nelze připojit.") % where
    try:
        try:
            client.select_folder(mailbox.imap_folder, readonly=True)
        except IMAPClientError:
            return False, _("Přihlášení se podařilo, ale složka %(folder)s neexistuje.") % {
                "folder": mailbox.imap_folder
            }
        return True, _("Přihlášení k serveru %(host)s se podařilo.") % where
    finally:
        try:
            client.logout()
        except Exception:  # the answer is already known; a failed log-out changes nothing
            pass
