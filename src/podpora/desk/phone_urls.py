from django.urls import path

from . import lookup_views, phone

app_name = "phone"

urlpatterns = [
    path("", phone.phone, name="new"),
    path("lookup/", lookup_views.lookup_json, name="lookup"),
]
