"""Slovak: "3. 12. 2026", "3. 12. 2026 10:14", "3. 12.", "12/2026"."""

SHORT_DATE_FORMAT = "j. n. Y"
SHORT_DATETIME_FORMAT = "j. n. Y H:i"
MONTH_DAY_FORMAT = "j. n."
YEAR_MONTH_FORMAT = "n/Y"
