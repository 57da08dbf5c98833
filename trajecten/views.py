"""The coach workspace. Views are thin: access through trajecten.access, rules through services."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import deadlines as dl
from . import forms as f
from . import models as m
from .access import mag_registreren, traject_or_404, zichtbare_trajecten
from .evaluation import evaluate_traject, refresh_one
from .filters import TrajectFilter
from .labels import MIJLPALEN, STATES, WARNINGS

PAGE_SIZE = 25
DUE_SOON = timedelta(days=dl.DUE_SOON_DAYS)


def today() -> date:
    return timezone.localdate()


@login_required
def home(request):
    return redirect("worklist")


@dataclass
class Row:
    traject: m.Traject
    signalen: list[tuple[str, str]] = field(default_factory=list)


def row_signals(t: m.Traject, day: date) -> list[tuple[str, str]]:
    """(css class, Dutch text) of one worklist row, from the stored deadline summary."""
    out = []
    if t.formeel_verplicht_vanaf and t.formeel_verplicht_vanaf <= day:
        out.append(("verplicht", _("Formeel traject verplicht")))
    elif t.formeel_waarschuwing_vanaf and t.formeel_waarschuwing_vanaf <= day:
        out.append(("waarschuwing", _("Formeel traject zou verplicht zijn")))
    if t.eerstvolgende_termijn:
        if t.eerstvolgende_termijn < day:
            out.append(("missed", _("Te laat")))
        elif t.eerstvolgende_termijn <= day + DUE_SOON:
            out.append(("due", _("Binnen 7 dagen")))
    return out


@login_required
def worklist(request):
    day = today()
    base = zichtbare_trajecten(request.user).select_related(
        "personeelslid", "coach", "entiteit", "doel_entiteit"
    )
    flt = TrajectFilter(request.GET, queryset=base, request=request, today=day)
    qs = flt.qs.order_by(F("eerstvolgende_termijn").asc(nulls_last=True), "d0", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    rows = [Row(t, row_signals(t, day)) for t in page.object_list]
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "trajecten/worklist.html",
        {
            "filter": flt,
            "page": page,
            "rows": rows,
            "mijlpalen": MIJLPALEN,
            "querystring": query.urlencode(),
            "mag_registreren": mag_registreren(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def traject_nieuw(request):
    if not mag_registreren(request.user):
        raise Http404
    day = today()
    form = f.TrajectForm(request.POST or None, user=request.user, today=day)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            traject = form.save()
            refresh_one(traject.pk, day)
        messages.success(request, _("Het traject is geregistreerd."))
        return redirect("dossier", pk=traject.pk)
    return render(request, "trajecten/form.html", {"form": form, "title": _("Nieuw traject registreren")})


DOSSIER_PREFETCH = (
    "gesprek_set",
    "inschatting_set",
    Prefetch("stappenplan_set", queryset=m.Stappenplan.objects.prefetch_related("maatregelen")),
    "verlenging_set",
    "herval_set",
    "betrokkenheid_set",
    "evaluatie_set",
)


def dossier_queryset():
    return m.Traject.objects.select_related(
        "personeelslid", "entiteit", "doel_entiteit", "coach", "formeel_verloop", "voortgezet_van"
    ).prefetch_related(*DOSSIER_PREFETCH)


@dataclass
class Event:
    datum: date
    soort: str
    titel: str
    details: list[tuple[str, Any]] = field(default_factory=list)
    tekst: str = ""


def timeline(t: m.Traject) -> list[Event]:
    ev: list[Event] = []
    if t.d0:
        ev.append(Event(t.d0, "d0", _("Start arbeidsongeschiktheid (D0)")))
    for g in t.gesprek_set.all():
        ev.append(
            Event(
                g.datum,
                "gesprek",
                g.get_soort_display(),
                [(_("Vorm"), g.get_vorm_display()), (_("Door"), g.get_gevoerd_door_display())],
                g.uitkomst,
            )
        )
    for i in t.inschatting_set.all():
        details = [(_("Uitkomst"), i.get_uitkomst_display())]
        if i.volgend_gesprek_op:
            details.append((_("Volgend gesprek gepland op"), i.volgend_gesprek_op))
        if i.specifieke_begeleiding:
            details.append((_("Specifieke begeleiding"), _("wenselijk")))
        ev.append(Event(i.datum, "inschatting", _("Inschatting"), details, i.toelichting))
    for s in t.stappenplan_set.all():
        details = [
            (_("Maatregel"), f"{mr.get_soort_display()}{' – ' + mr.omschrijving if mr.omschrijving else ''}")
            for mr in s.maatregelen.all()
        ]
        if s.beoogde_hervatting_op:
            details.append((_("Beoogde werkhervatting"), s.beoogde_hervatting_op))
        ev.append(Event(s.datum, "stappenplan", _("Stappenplan"), details, s.afspraken))
    for b in t.betrokkenheid_set.all():
        ev.append(
            Event(
                b.vanaf,
                "betrokkenheid",
                _("Welzijnsactor betrokken: %(a)s") % {"a": b.get_actor_display()},
                [],
                b.toelichting,
            )
        )
    for v in t.verlenging_set.all():
        ev.append(
            Event(
                v.toegekend_op,
                "verlenging",
                _("Verlenging termijn stappenplan"),
                [(_("Nieuwe uiterste datum"), v.nieuwe_datum)],
                v.reden,
            )
        )
    for h in t.herval_set.all():
        ev.append(Event(h.hervat_op, "hervatting", _("Werkhervatting")))
        ev.append(
            Event(
                h.datum,
                "herval",
                _("Herval: opnieuw arbeidsongeschikt"),
                [(_("Na hervatting op"), h.hervat_op)],
                h.toelichting,
            )
        )
    if t.werkhervatting_op:
        ev.append(
            Event(
                t.werkhervatting_op,
                "hervatting",
                _("Werkhervatting"),
                [(_("Vorm"), t.get_werkhervatting_vorm_display())],
            )
        )
    for e in t.evaluatie_set.all():
        details = [(_("Door"), e.get_gevoerd_door_display())]
        if e.bijgestuurd:
            details.append((_("Afspraken"), _("bijgestuurd")))
        ev.append(Event(e.datum, "evaluatie", _("Evaluatie"), details, e.verslag))
    fv = getattr(t, "formeel_verloop", None)
    if fv:
        ev.append(
            Event(
                fv.aanvraag_ontvangen_op,
                "formeel",
                _("Aanvraag formeel traject ontvangen"),
                [(_("Door"), fv.get_aanvrager_display())],
            )
        )
        if fv.beoordeling_op:
            ev.append(
                Event(
                    fv.beoordeling_op,
                    "formeel",
                    _("Re-integratiebeoordeling"),
                    [(_("Uitkomst"), fv.get_beoordeling_display())],
                )
            )
        if fv.plan_op:
            ev.append(Event(fv.plan_op, "formeel", fv.get_plan_soort_display()))
        if fv.antwoord_op:
            ev.append(
                Event(
                    fv.antwoord_op,
                    "formeel",
                    _("Antwoord personeelslid"),
                    [(_("Antwoord"), fv.get_antwoord_display())],
                )
            )
    if t.afgesloten_op:
        ev.append(
            Event(
                t.afgesloten_op,
                "afsluiting",
                _("Traject afgesloten"),
                [(_("Uitkomst"), t.get_uitkomst_display())],
                t.uitkomst_reden,
            )
        )
    order = {"d0": 0, "hervatting": 2, "herval": 3, "afsluiting": 9}
    return sorted(ev, key=lambda e: (e.datum, order.get(e.soort, 5)))


@login_required
def dossier(request, pk):
    traject = traject_or_404(request.user, pk, dossier_queryset())
    day = today()
    evaluation = evaluate_traject(traject, day)
    try:
        voortgezet_als = traject.voortgezet_als
    except m.Traject.DoesNotExist:
        voortgezet_als = None
    return render(
        request,
        "trajecten/dossier.html",
        {
            "t": traject,
            "ev": evaluation,
            "milestones": [(ms, MIJLPALEN[ms.code], STATES[ms.state]) for ms in evaluation.milestones],
            "warnings": [WARNINGS[w] for w in evaluation.warnings],
            "mandatory_reasons": [MIJLPALEN[c] for c in evaluation.formal_mandatory_reasons],
            "timeline": timeline(traject),
            "voortgezet_als": voortgezet_als,
            "open": traject.status != m.Traject.Status.AFGESLOTEN,
        },
    )


# kind -> (form class, title). Each registers one step in a dossier.
ACTIONS = {
    "gesprek": (f.GesprekForm, _("Contact of gesprek registreren")),
    "inschatting": (f.InschattingForm, _("Inschatting registreren")),
    "betrokkenheid": (f.BetrokkenheidForm, _("Welzijnsactor betrekken")),
    "verlenging": (f.VerlengingForm, _("Termijn stappenplan verlengen")),
    "werkhervatting": (f.WerkhervattingForm, _("Werkhervatting registreren")),
    "herval": (f.HervalForm, _("Herval registreren")),
    "evaluatie": (f.EvaluatieForm, _("Evaluatie registreren")),
    "afsluiten": (f.AfsluitenForm, _("Traject afsluiten")),
    "omzetten": (f.OmzettenForm, _("Omzetten naar een formeel traject")),
}
# Forms that edit the trajectory itself rather than adding a part.
ON_TRAJECT = {"werkhervatting", "afsluiten"}


@login_required
@require_http_methods(["GET", "POST"])
def actie(request, pk, kind):
    if kind not in ACTIONS:
        raise Http404
    traject = traject_or_404(
        request.user, pk, m.Traject.objects.select_for_update() if request.method == "POST" else None
    )
    form_class, title = ACTIONS[kind]
    day = today()
    instance = traject if kind in ON_TRAJECT else None
    form = form_class(request.POST or None, traject=traject, today=day, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        target = saved.traject if kind == "omzetten" else traject
        refresh_one(traject.pk, day)
        if target.pk != traject.pk:
            refresh_one(target.pk, day)
        messages.success(request, _("Opgeslagen."))
        return redirect("dossier", pk=target.pk)
    return render(request, "trajecten/form.html", {"form": form, "title": title, "t": traject})


@login_required
@require_http_methods(["GET", "POST"])
def stappenplan(request, pk):
    traject = traject_or_404(request.user, pk)
    day = today()
    form = f.StappenplanForm(request.POST or None, traject=traject, today=day)
    formset = f.MaatregelFormSet(
        request.POST or None, instance=m.Stappenplan(traject=traject), prefix="maatregel"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        plan = form.save()
        formset.instance = plan
        formset.save()
        refresh_one(traject.pk, day)
        messages.success(request, _("Het stappenplan is geregistreerd."))
        return redirect("dossier", pk=traject.pk)
    return render(
        request,
        "trajecten/form.html",
        {"form": form, "formset": formset, "title": _("Stappenplan met maatregelen"), "t": traject},
    )


@login_required
@require_http_methods(["GET", "POST"])
def formeel(request, pk):
    traject = traject_or_404(request.user, pk, m.Traject.objects.select_related("formeel_verloop"))
    if traject.soort != m.Traject.Soort.FORMEEL:
        raise Http404
    day = today()
    instance = getattr(traject, "formeel_verloop", None) or m.FormeelVerloop(traject=traject)
    form = f.FormeelVerloopForm(request.POST or None, traject=traject, today=day, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        refresh_one(traject.pk, day)
        messages.success(request, _("Het verloop van het formele traject is bijgewerkt."))
        return redirect("dossier", pk=traject.pk)
    return render(
        request, "trajecten/form.html", {"form": form, "title": _("Verloop formeel traject"), "t": traject}
    )


@login_required
def historiek(request, pk):
    from .history import dossier_history

    traject = traject_or_404(request.user, pk, m.Traject.objects.select_related("personeelslid"))
    return render(request, "trajecten/historiek.html", {"t": traject, "entries": dossier_history(traject)})
