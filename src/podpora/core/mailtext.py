"""Plain-text e-mail templates: rendered without HTML escaping.

Django escapes variables for HTML by default; in a subject line or a text/plain body that
turns "Tom's <faktura> & daň" into "Tom&#x27;s &lt;faktura&gt; &amp; daň", which the
recipient then reads. Text templates go through an engine that does not escape; the HTML
alternative escapes the text once, where it is put into HTML.
"""

from __future__ import annotations

import functools

from django.template import Context, Engine


@functools.cache
def _engine() -> Engine:
    default = Engine.get_default()
    return Engine(
        dirs=default.dirs,
        app_dirs=default.app_dirs,
        autoescape=False,
        libraries=default.libraries,
        builtins=[],
        debug=default.debug,
        string_if_invalid=default.string_if_invalid,
        file_charset=default.file_charset,
    )


def render_text(template_name: str, context: dict) -> str:
    """The rendered text as a plain ``str``: Django marks template output safe for HTML, and
    this text is not HTML (whoever puts it into HTML must escape it)."""
    rendered = _engine().get_template(template_name).render(Context(context, autoescape=False))
    return "" + rendered  # str + SafeString gives a plain str
