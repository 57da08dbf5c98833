"""Entity-crossing trajectories through AgO (circular 4.4): request, accept or refuse, record the target entity.

The own entity asks (``aanmelden``); AgO accepts with an AgO trajectbegeleider (``aanvaarden``) or refuses
with a reason (``weigeren``); once a target entity is found AgO records it (``doelentiteit_vastleggen``),
and only from then on does the target entity's coach see the dossier (reintegratie.access). Nothing else
sets or changes a trajectory's target entity. Who may call which is reintegratie.access's; these functions
check the state (trajecten.actions) and keep the history.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from .. import actions as a
from .. import models as m
from ..dates import fmt
from .base import ActionContext, NotAllowed, Refused, check_allowed, claim, lock, refresh, stamp, state_of
from .dossier import _dossier

Status = m.Aanmelding.Status


def running(traject: m.Traject) -> m.Aanmelding | None:
    """The trajectory's request to AgO that is not refused, if any."""
    return traject.aanmeldingen.exclude(status=Status.GEWEIGERD).first()


def aanmelden(ctx: ActionContext, traject_pk: int, motivatie: str) -> m.Aanmelding:
    with transaction.atomic():
        t = lock(traject_pk)
        claim(ctx, t)
        current = running(t)
        d = _dossier(t)
        check_allowed(a.AANMELDEN_AGO, state_of(d, ctx.today, intake=current.status if current else ""))
        if t.doel_entiteit_id is not None:
            raise NotAllowed([_("Dit traject is al entiteitsoverschrijdend.")])
        motivatie = motivatie.strip()
        if not motivatie:
            raise Refused(
                fields={"motivatie": _("Geef aan waarom re-integratie in de eigen entiteit niet lukt.")}
            )
        aanmelding = m.Aanmelding(
            traject=t, aangemeld_op=ctx.today, aangemeld_door=ctx.user, motivatie=motivatie
        )
        stamp(aanmelding, ctx).save()
        return aanmelding


def _locked_request(ctx: ActionContext, pk: int, decision: str) -> m.Aanmelding:
    try:
        traject_pk = m.Aanmelding.objects.values_list("traject_id", flat=True).get(pk=pk)
    except m.Aanmelding.DoesNotExist as exc:
        raise Http404 from exc
    t = lock(traject_pk)
    claim(ctx, t)
    aanmelding = m.Aanmelding.objects.select_related("traject").get(pk=pk)
    reason = a.intake_refusal(decision, aanmelding.status)
    if reason is not None:
        raise NotAllowed([reason])
    return aanmelding


def aanvaarden(ctx: ActionContext, pk: int, trajectbegeleider) -> m.Aanmelding:
    with transaction.atomic():
        aanmelding = _locked_request(ctx, pk, a.AANVAARDEN)
        if trajectbegeleider is None or trajectbegeleider.rol != "ago" or not trajectbegeleider.is_active:
            raise Refused(fields={"trajectbegeleider": _("Kies een AgO-trajectbegeleider.")})
        aanmelding.status = Status.AANVAARD
        aanmelding.trajectbegeleider = trajectbegeleider
        aanmelding.beslist_op = ctx.today
        stamp(aanmelding, ctx).save()
        return aanmelding


def weigeren(ctx: ActionContext, pk: int, reden: str) -> m.Aanmelding:
    with transaction.atomic():
        aanmelding = _locked_request(ctx, pk, a.WEIGEREN)
        reden = reden.strip()
        if not reden:
            raise Refused(fields={"weigerreden": _("Geef de reden van de weigering.")})
        aanmelding.status = Status.GEWEIGERD
        aanmelding.weigerreden = reden
        aanmelding.beslist_op = aanmelding.beslist_op or ctx.today
        stamp(aanmelding, ctx, reden).save()
        return aanmelding


def doelentiteit_vastleggen(
    ctx: ActionContext, pk: int, entiteit, op: date, reason: str = ""
) -> m.Aanmelding:
    """Record (or correct) the target entity: from now on that entity's coach takes part in the dossier."""
    with transaction.atomic():
        aanmelding = _locked_request(ctx, pk, a.DOELENTITEIT)
        t = aanmelding.traject
        if entiteit is None or entiteit.pk == t.entiteit_id:
            raise Refused(
                fields={"doelentiteit": _("Kies een andere entiteit dan die van het personeelslid.")}
            )
        if op > ctx.today:
            raise Refused(
                fields={
                    "doelentiteit_op": _(
                        "Deze datum ligt in de toekomst; registreer alleen wat al gebeurd is."
                    )
                }
            )
        if aanmelding.beslist_op and op < aanmelding.beslist_op:
            raise Refused(
                fields={
                    "doelentiteit_op": _("Deze datum mag niet vóór de aanvaarding (%(d)s) liggen.")
                    % {"d": fmt(aanmelding.beslist_op)}
                }
            )
        correcting = aanmelding.status == Status.DOELENTITEIT_GEVONDEN
        if correcting and not reason.strip():
            raise Refused(fields={"reden": _("Geef de reden van de wijziging van de doelentiteit.")})
        aanmelding.status = Status.DOELENTITEIT_GEVONDEN
        aanmelding.doelentiteit = entiteit
        aanmelding.doelentiteit_op = op
        stamp(aanmelding, ctx, reason.strip() or None).save()
        t.doel_entiteit = entiteit
        stamp(t, ctx, reason.strip() or _("Doelentiteit vastgelegd door AgO")).save()
        refresh(t.pk, ctx)
        return aanmelding
