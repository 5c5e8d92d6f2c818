"""Settings for the test suite: the real settings, with test-only defaults for the secrets
and a fast password hasher. The database still comes from DATABASE_URL."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("HTTPS", "0")

from factcheck.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# Django's test client signs in without a request, which django-axes refuses; the lockout
# tests switch it back on with override_settings(AXES_ENABLED=True).
AXES_ENABLED = False
# The suite writes faster than any person: the write-rate tests set their own rate.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"writes": "100000/minute"},
}
