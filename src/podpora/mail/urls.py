from django.urls import path

from . import views

app_name = "mail"

urlpatterns = [
    path("quarantine/", views.quarantine_list, name="quarantine"),
    path("quarantine/<int:pk>/", views.quarantine_detail, name="quarantine_detail"),
    path("quarantine/<int:pk>/raw/", views.quarantine_raw, name="quarantine_raw"),
    path("quarantine/<int:pk>/reprocess/", views.quarantine_reprocess, name="quarantine_reprocess"),
    path("quarantine/<int:pk>/release/", views.quarantine_release, name="quarantine_release"),
]
