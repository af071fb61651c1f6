"""Helpers shared by the portal and the console forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy


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


class PeriodForm(forms.Form):
    """A period of days, the first to the last (both included), as exports and reports ask."""

    date_from = forms.DateField(label=_lazy("Od"), widget=DateInput())
    date_to = forms.DateField(label=_lazy("Do"), widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Konec období nesmí být před jeho začátkem."))
        return data

    @staticmethod
    def month_so_far(today) -> dict:
        """The initial period: this month up to today."""
        return {"date_from": today.replace(day=1), "date_to": today}
