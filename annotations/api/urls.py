from django.urls import URLPattern, URLResolver, path

from annotations.api.export import ExportView

urlpatterns: list[URLPattern | URLResolver] = [
    path("export/", ExportView.as_view(), name="api-export"),
]
