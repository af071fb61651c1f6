from django.urls import path

from . import views

app_name = "macros"
urlpatterns = [
    path("", views.macro_list, name="list"),
    path("new/", views.macro_edit, name="new"),
    path("<int:pk>/", views.macro_edit, name="edit"),
]
