"""Slovak writes dates as Czech does: "3. 12. 2026", "3. 12. 2026 10:14", "3. 12.", "12/2026"."""

from podpora.formats.cs.formats import (  # noqa: F401
    MONTH_DAY_FORMAT,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    YEAR_MONTH_FORMAT,
)
