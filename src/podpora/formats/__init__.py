"""How each language writes dates on pages, in letters and in the history (``FORMAT_MODULE_PATH``).

Templates name the formats (``|date:"SHORT_DATE_FORMAT"``), never a pattern, so a Slovak or
English reader sees their own: "3. 12. 2026 10:14" in cs and sk, "3 Dec 2026, 10:14" in en.
What is not set here comes from Django's own module for the language (input formats, numbers).
"""
