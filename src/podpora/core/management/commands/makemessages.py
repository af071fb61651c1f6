"""Django's makemessages, also finding ``gettext_lazy`` imported as ``_lazy`` (forms use ``_``
for gettext and ``_lazy`` for the labels evaluated later)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]
