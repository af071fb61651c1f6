import logging

from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect

from podpora.accounts import access

log = logging.getLogger(__name__)


def healthz(request):
    """Names each dependency it checked; 503 with the failing part when one is down."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        log.warning("health: database down: %s", exc)
        checks["database"] = "error"
    try:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(status="READY").count()
        checks["task_queue"] = "ok"
    except Exception as exc:  # noqa: BLE001
        log.warning("health: task queue down: %s", exc)
        checks["task_queue"] = "error"
    failing = [name for name, value in checks.items() if value != "ok"]
    body = {"status": "ok" if not failing else "error", "checks": checks}
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)


def metrics(request):
    """Prometheus text format; from this machine only, or with the metrics token."""
    from django.http import HttpResponse
    from django.utils.translation import gettext as _
    from prometheus_client import CONTENT_TYPE_LATEST

    from podpora.core import metrics as m

    if not m.allowed(request):
        return HttpResponse(
            _("Metriky jsou přístupné jen z tohoto počítače nebo s tokenem pro metriky."),
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    try:
        body = m.exposition()
    except Exception:  # noqa: BLE001 - a scrape while the database is down says so briefly
        log.exception("metrics: could not read the figures")
        return HttpResponse(
            _("Metriky teď nejsou k dispozici: databáze neodpovídá."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    if access.is_staff(request.user):
        return redirect("desk:queue")
    return redirect("portal:list")


def attachment(request, number, attachment_id):
    """Files are served as downloads only, never rendered by the browser."""
    att = _attachment(request, number, attachment_id)
    return download(att.blob_id, att.filename)


def _attachment(request, number, attachment_id):
    from podpora.tickets.models import Attachment

    ticket = access.get_ticket(request.user, number)
    qs = Attachment.objects.filter(article__ticket=ticket, pk=attachment_id)
    if not access.may_see_internal(request.user):
        qs = qs.filter(article__internal=False)
    att = qs.select_related("blob").first()
    if att is None:
        raise Http404("no attachment")
    return att


#: the pictures a page shows inline, known by their first bytes (never by the sender's word,
#: and never SVG, which may carry script)
_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def image_type(head: bytes) -> str | None:
    for magic, content_type in _IMAGE_MAGIC:
        if head.startswith(magic):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def attachment_preview(request, number, attachment_id):
    """A picture attached to a ticket, shown inline on its page: only PNG, JPEG, GIF and WebP
    by their content, in a sandbox that runs nothing; anything else is a 404 (download it)."""
    from podpora.core.storage import blob_path

    att = _attachment(request, number, attachment_id)
    path = blob_path(att.blob_id)
    with path.open("rb") as f:
        content_type = image_type(f.read(16))
    if content_type is None:
        raise Http404("not a picture")
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def download(sha256: str, filename: str) -> FileResponse:
    """A stored file as a download only: never rendered or sniffed by the browser."""
    from podpora.core.storage import open_blob

    response = FileResponse(
        open_blob(sha256),
        as_attachment=True,
        filename=filename,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
