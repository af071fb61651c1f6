import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podpora.settings")
application = get_wsgi_application()

from podpora.core.language import warm_up_in_background  # noqa: E402

warm_up_in_background()  # the detector's models, before the first request needs them
