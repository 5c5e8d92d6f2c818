import gc
import os

from django.core.wsgi import get_wsgi_application

from factcheck.env import load_env_file, settings_or_exit

load_env_file()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
# Status 3 is gunicorn's "worker failed to boot": without --preload it then stops, rather than
# starting worker after worker that would fail alike.
with settings_or_exit(status=3):
    application = get_wsgi_application()

# With gunicorn's --preload the workers are forked from the process that ran this. Frozen, the
# objects loaded so far (Python, Django, the app) are left out of every later collection: a
# worker's collector does not write to their pages, which then stay shared with the master
# rather than being copied into each worker.
gc.freeze()
