import os

from django.core.asgi import get_asgi_application

from factcheck.env import load_env_file, settings_or_exit

load_env_file()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
# Status 3 as in wsgi.py, for gunicorn running ASGI workers.
with settings_or_exit(status=3):
    application = get_asgi_application()
