"""Helpers shared by the portal and the console forms."""

from django import forms
from django.core.exceptions import ValidationError


def apply_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, field by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        for e in error.messages:
            form.add_error(None, e)


def uploaded_files(files) -> list:
    from podpora.tickets.services import IncomingFile

    out = []
    for f in files or []:
        out.append(
            IncomingFile(
                filename=safe_upload_name(f.name),
                content_type=f.content_type or "",
                content=f.read(),
            )
        )
    return out


def safe_upload_name(name: str) -> str:
    base = (name or "").replace("\\", "/").split("/")[-1].strip().lstrip(".")
    cleaned = "".join(c for c in base if c.isprintable())[:150]
    return cleaned or "priloha"


class DateInput(forms.DateInput):
    """A browser's date picker. Its value must be ISO (YYYY-MM-DD) whatever the language: a
    date in the Czech format is one the browser throws away, and the field shows empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
