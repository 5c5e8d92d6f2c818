import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
application = get_wsgi_application()

# With gunicorn's --preload the workers are forked from the process that ran this. Frozen, the
# objects loaded so far (Python, Django, the app) are left out of every later collection: a
# worker's collector does not write to their pages, which then stay shared with the master
# rather than being copied into each worker.
gc.freeze()
