from django.urls import path

from . import views

app_name = "techniques"
urlpatterns = [
    path("", views.TechniqueListView.as_view(), name="list"),
    path("<slug:slug>/", views.TechniqueDetailView.as_view(), name="detail"),
]
