import gc
import os

from django.core.wsgi import get_wsgi_application

from factcheck.env import load_env_file, settings_or_exit
from factcheck.warmup import warm_up

load_env_file()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
# Status 3 is gunicorn's "worker failed to boot": without --preload it then stops, rather than
# starting worker after worker that would fail alike.
with settings_or_exit(status=3):
    application = get_wsgi_application()
# What each worker would otherwise load for itself at its first requests (the URLconf, the
# translations, the templates), loaded here to be shared (factcheck/warmup.py).
warm_up()

# With gunicorn's --preload the workers are forked from the process that ran this. Frozen, the
# objects loaded so far (Python, Django, the app) are left out of every later collection: a
# worker's collector does not write to their pages, which then stay shared with the master
# rather than being copied into each worker.
gc.freeze()
