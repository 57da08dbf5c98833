import logging
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegratie.settings")

app = Celery("reintegratie")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every worker writes a heartbeat that the health endpoint checks (operations.heartbeat).
from operations.heartbeat import HeartbeatStep  # noqa: E402

app.steps["worker"].add(HeartbeatStep)


@signals.worker_process_init.connect  # each process of the prefork pool, after the fork
@signals.worker_init.connect  # the worker itself (solo and thread pools run tasks in it)
def prepare_process(**kwargs) -> None:
    """Ready a worker process for its tasks once, at its start rather than in its first task:

    - the URL configuration is loaded (the deadline job's mails link to dossiers; loading it imports every
      view module, some 0.2 s);
    - what was loaded so far is moved out of the garbage collector's view (``gc.freeze``): Django's
      modules, settings and URL patterns live as long as the process, and a full collection would walk
      all of them again each time the nightly job's batches create their hundreds of thousands of small
      objects (measured: about a fifth of the job's time).
    """
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the lazy property loads the URL configuration
    gc.collect()
    gc.freeze()
    logging.getLogger(__name__).info(
        "worker process ready: URL configuration loaded, %d objects frozen", gc.get_freeze_count()
    )
