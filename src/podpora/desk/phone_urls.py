from django.urls import path

from . import phone

app_name = "phone"

urlpatterns = [
    path("", phone.phone, name="new"),
]
