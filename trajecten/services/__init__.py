"""Every write to a dossier, one function per domain action (see trajecten.services.dossier).

Views, the admin, tasks and commands call these; forms only clean input. Reads that depend on the user
go through reintegratie.access.
"""

from . import afwezigheden, intake
from .base import ActionContext, AlreadySubmitted, NotAllowed, Refused, state_of
from .dossier import (
    FORMAL_STEPS,
    PART_MODELS,
    close,
    convert_to_formal,
    convert_to_informal,
    correct_core,
    correct_part,
    register_part,
    register_traject,
    remove_formal_step,
    remove_part,
    reopen,
    save_formal_steps,
)

__all__ = [
    "FORMAL_STEPS",
    "PART_MODELS",
    "ActionContext",
    "AlreadySubmitted",
    "NotAllowed",
    "Refused",
    "afwezigheden",
    "close",
    "intake",
    "convert_to_formal",
    "convert_to_informal",
    "correct_core",
    "correct_part",
    "register_part",
    "register_traject",
    "remove_formal_step",
    "remove_part",
    "reopen",
    "save_formal_steps",
    "state_of",
]
