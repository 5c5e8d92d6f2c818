from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from annotations.admin.users import own_password_change
from factcheck.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Ahead of the admin's own page: a password changed there revokes the API token too.
    path("admin/password_change/", own_password_change),
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", include("annotations.api.urls")),
    path("", include("annotations.urls")),
]

handler400 = "factcheck.errors.bad_request"
handler403 = "factcheck.errors.permission_denied"
handler404 = "factcheck.errors.page_not_found"
handler500 = "factcheck.errors.server_error"
