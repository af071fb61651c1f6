from django import template

from podpora.sla import promise as words

register = template.Library()


@register.filter
def within(spec) -> str:
    """ "do 2 pracovních dnů" of a target spec, in the reader's language."""
    return words.within(spec or "")


@register.simple_tag
def promise(kind, spec) -> str:
    """ "odpověď nejpozději do 2 pracovních dnů"."""
    return words.promise(kind, spec or "")
