import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegratie.settings")

app = Celery("reintegratie")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every worker writes a heartbeat that the health endpoint checks (operations.heartbeat).
from operations.heartbeat import HeartbeatStep  # noqa: E402

app.steps["worker"].add(HeartbeatStep)
