"""In a Celery worker, every log line of a task carries the task id as its ``request_id``."""

from celery.signals import task_postrun, task_prerun

from .logging import current_request_id

_tokens = {}


@task_prerun.connect
def _set_task_id(task_id=None, **kwargs):
    _tokens[task_id] = current_request_id.set(task_id or "")


@task_postrun.connect
def _reset_task_id(task_id=None, **kwargs):
    token = _tokens.pop(task_id, None)
    if token is not None:
        try:
            current_request_id.reset(token)
        except ValueError:  # set in another context (eager task inside a request): leave it
            pass
