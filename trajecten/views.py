"""The coach workspace. Views are thin: access through reintegratie.access, writes through trajecten.services,
the allowed actions from trajecten.actions; a view parses a form, calls one service and renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reintegratie import access
from reintegratie.access import mag_aanmelden_bij_ago, mag_registreren, traject_or_404, zichtbare_trajecten

from . import absences
from . import actions as a
from . import deadlines as dl
from . import forms as f
from . import models as m
from . import services as s
from .dates import fmt
from .facts import Dossier, facts_from
from .filters import TrajectFilter
from .labels import MIJLPALEN, STATES, WARNINGS
from .paging import COUNT_LIMIT, BoundedPaginator

PAGE_SIZE = 25
ABSENT_SHOWN = 5
DUE_SOON = timedelta(days=dl.DUE_SOON_DAYS)


def today() -> date:
    return timezone.localdate()


def context_of(request, form=None) -> s.ActionContext:
    token = form.token if form is not None and hasattr(form, "token") else None
    return s.ActionContext(user=request.user, today=today(), token=token)


@login_required
def home(request):
    return redirect("worklist")


# --- worklist -------------------------------------------------------------------------------------------


# Labels of a row's kind and status (lazy: translated when printed). Django's get_FOO_display hashes every
# choice, translating each, per call: 0.1 ms a row.
_SOORTEN, _STATUSSEN = dict(m.Traject.Soort.choices), dict(m.Traject.Status.choices)


@dataclass(slots=True)
class Row:
    """One worklist row: its trajectory and what its cells print, prepared here rather than in the template
    (25 rows of template lookups, filters and tags were a quarter of the page's time)."""

    traject: m.Traject
    signalen: list[tuple[str, str]]
    url: str
    soort: str
    d0: str
    termijn: str
    mijlpaal: str
    coach: str
    status: str

    @classmethod
    def of(cls, t: m.Traject, day: date) -> Row:
        termijn = t.eerstvolgende_termijn
        return cls(
            traject=t,
            signalen=row_signals(t, day),
            url=reverse("dossier", args=[t.pk]),
            soort=str(_SOORTEN.get(t.soort, t.soort)),
            d0=fmt(t.d0),
            termijn=fmt(termijn) if termijn else "",
            mijlpaal=MIJLPALEN.get(t.eerstvolgende_mijlpaal, "") if termijn else "",
            coach=str(t.coach) if t.coach_id else "—",
            status=str(_STATUSSEN.get(t.status, t.status)),
        )


def row_signals(t: m.Traject, day: date) -> list[tuple[str, str]]:
    """(css class, Dutch text) of one worklist row, from the stored deadline summary."""
    out = []
    if t.formeel_verplicht_vanaf and t.formeel_verplicht_vanaf <= day:
        out.append(("verplicht", _("Formeel traject verplicht")))
    elif t.formeel_waarschuwing_vanaf and t.formeel_waarschuwing_vanaf <= day:
        out.append(("waarschuwing", _("Formeel traject zou verplicht zijn")))
    if t.coach_nodig:
        out.append(("waarschuwing", _("Coach moet coördineren")))
    if t.eerstvolgende_termijn:
        if t.eerstvolgende_termijn < day:
            days = (day - t.eerstvolgende_termijn).days
            out.append(
                (
                    "missed",
                    _("Te laat: %(n)d dag") % {"n": days}
                    if days == 1
                    else _("Te laat: %(n)d dagen") % {"n": days},
                )
            )
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
    # The order of the partial indexes on open trajectories (m.WERKLIJST_VOLGORDE): the page is read
    # from the index, and the count stops at 1,001 rows, whatever the history holds.
    qs = flt.qs.order_by(*m.WERKLIJST_VOLGORDE)
    searching = bool((flt.form.cleaned_data.get("q") or "").strip())  # few rows: read once (trajecten.paging)
    page = BoundedPaginator(qs, PAGE_SIZE, limit=COUNT_LIMIT, few=searching).get_page(
        request.GET.get("pagina")
    )
    rows = [Row.of(t, day) for t in page.object_list]
    # Absent 4 weeks or more without a trajectory (personnel system): the first few, and whether there are
    # more, for the entity of a coach or HR. AgO's worklist spans every entity: there it is a link to the
    # VO-wide list (finding its first rows would cost this page ~100 ms at 1,000,000 trajectories, because
    # most long-running absences do have a trajectory and are skipped one by one).
    vo_wide = access.ziet_alle_entiteiten(request.user)
    absent_first = []
    if not vo_wide:
        absent = absences.zonder_traject(access.zichtbare_entiteiten(request.user), day)
        absent_first = list(absent[: ABSENT_SHOWN + 1])
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "trajecten/worklist.html",
        {
            "filter": flt,
            "page": page,
            "rows": rows,
            "querystring": query.urlencode(),
            "mag_registreren": mag_registreren(request.user),
            "afwezig": absent_first[:ABSENT_SHOWN],
            "afwezig_meer": len(absent_first) > ABSENT_SHOWN,
            "afwezig_alle_entiteiten": vo_wide,
        },
    )


# --- registering a trajectory -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def traject_nieuw(request):
    if not mag_registreren(request.user):
        raise Http404
    # pre-filled from the list of staff absent without a trajectory; only AgO chooses the entity
    fields = ("personeelsnummer", "d0", "voornaam", "achternaam")
    fields += ("entiteit",) if access.ziet_alle_entiteiten(request.user) else ()
    prefill = {k: v for k, v in request.GET.items() if k in fields}
    form = f.TrajectForm(request.POST or None, user=request.user, initial=prefill)
    link = None
    if request.method == "POST" and form.is_valid():
        try:
            traject = s.register_traject(
                context_of(request, form), form.values(), zichtbare_trajecten(request.user)
            )
        except s.AlreadySubmitted as done:
            messages.info(request, _("Dit formulier was al verzonden; er is niets dubbel opgeslagen."))
            return redirect("dossier", pk=done.traject_pk) if done.traject_pk else redirect("worklist")
        except s.Refused as refused:
            apply_refusal(form, refused)
            link = refused.link_pk
        else:
            return _done(request, traject, _("Het traject is geregistreerd."))
    return render(
        request,
        "trajecten/form.html",
        {"form": form, "title": _("Nieuw traject registreren"), "open_dossier_pk": link},
    )


# --- the dossier ----------------------------------------------------------------------------------------

DOSSIER_PREFETCH = (
    Prefetch(
        "aanmeldingen",
        queryset=m.Aanmelding.objects.select_related("trajectbegeleider", "doelentiteit", "aangemeld_door"),
    ),
    "gesprek_set",
    "inschatting_set",
    Prefetch("stappenplan_set", queryset=m.Stappenplan.objects.prefetch_related("maatregelen")),
    "verlenging_set",
    "herval_set",
    "betrokkenheid_set",
    "evaluatie_set",
    "onderzoek_set",
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
    kind: str = ""  # the part kind for "Wijzigen" / "Verwijderen" ("" : not a part)
    part_pk: int | None = None
    removable: bool = True


def _measure(mr: m.Maatregel) -> str:
    text = mr.get_soort_display()
    if mr.omschrijving:
        text += f" – {mr.omschrijving}"
    if mr.vanaf or mr.tot:
        van = mr.vanaf.strftime("%d/%m/%Y") if mr.vanaf else "…"
        tot = mr.tot.strftime("%d/%m/%Y") if mr.tot else "…"
        text += " " + _("(van %(van)s tot %(tot)s)") % {"van": van, "tot": tot}
    return text


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
                "gesprek",
                g.pk,
            )
        )
    for i in t.inschatting_set.all():
        details = [(_("Uitkomst"), i.get_uitkomst_display())]
        if i.volgend_gesprek_op:
            details.append((_("Volgend gesprek gepland op"), i.volgend_gesprek_op))
        if i.specifieke_begeleiding:
            details.append((_("Specifieke begeleiding"), _("wenselijk")))
        ev.append(
            Event(i.datum, "inschatting", _("Inschatting"), details, i.toelichting, "inschatting", i.pk)
        )
    for p in t.stappenplan_set.all():
        details = [(_("Maatregel"), _measure(mr)) for mr in p.maatregelen.all()]
        if p.beoogde_hervatting_op:
            details.append((_("Beoogde werkhervatting"), p.beoogde_hervatting_op))
        ev.append(Event(p.datum, "stappenplan", _("Stappenplan"), details, p.afspraken, "stappenplan", p.pk))
    for b in t.betrokkenheid_set.all():
        title = _("Welzijnsactor betrokken: %(a)s") % {"a": b.get_actor_display()}
        details = []
        if b.toestemming_op:
            details.append((_("Toestemming van het personeelslid op"), b.toestemming_op))
        if b.toestemming_ingetrokken_op:
            details.append((_("Toestemming ingetrokken op"), b.toestemming_ingetrokken_op))
        ev.append(Event(b.vanaf, "betrokkenheid", title, details, b.toelichting, "betrokkenheid", b.pk))
    for v in t.verlenging_set.all():
        ev.append(
            Event(
                v.toegekend_op,
                "verlenging",
                _("Verlenging termijn stappenplan"),
                [(_("Nieuwe uiterste datum"), v.nieuwe_datum)],
                v.reden,
                "verlenging",
                v.pk,
            )
        )
    hervallen = list(t.herval_set.all())
    last = max(hervallen, key=lambda h: (h.datum, h.pk), default=None)
    for h in hervallen:
        vorm = dict(m.Traject.HervattingVorm.choices).get(h.hervatting_vorm)
        ev.append(
            Event(
                h.hervat_op,
                "hervatting",
                _("Werkhervatting"),
                [(_("Vorm"), vorm)] if vorm else [],
                "",
                "herval",
                h.pk,
                False,
            )
        )
        ev.append(
            Event(
                h.datum,
                "herval",
                _("Herval: opnieuw arbeidsongeschikt"),
                [(_("Na hervatting op"), h.hervat_op)],
                h.toelichting,
                "herval",
                h.pk,
                h is last and t.werkhervatting_op is None,
            )
        )
    if t.werkhervatting_op:
        ev.append(
            Event(
                t.werkhervatting_op,
                "hervatting",
                _("Werkhervatting"),
                [(_("Vorm"), t.get_werkhervatting_vorm_display())],
                "",
                "werkhervatting",
                t.pk,
            )
        )
    for e in t.evaluatie_set.all():
        details = [(_("Door"), e.get_gevoerd_door_display())]
        if e.bijgestuurd:
            details.append((_("Afspraken"), _("bijgestuurd")))
        ev.append(Event(e.datum, "evaluatie", _("Evaluatie"), details, e.verslag, "evaluatie", e.pk))
    for o in t.onderzoek_set.all():
        ev.append(Event(o.datum, "onderzoek", o.get_soort_display(), [], "", "onderzoek", o.pk))
    ev += formal_events(t)
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


def formal_events(t: m.Traject) -> list[Event]:
    fv = getattr(t, "formeel_verloop", None)
    if fv is None:
        return []
    steps = [
        (
            fv.aanvraag_ontvangen_op,
            "aanvraag",
            _("Aanvraag formeel traject ontvangen"),
            [(_("Door"), fv.get_aanvrager_display())],
        ),
        (
            fv.beoordeling_op,
            "beoordeling",
            _("Re-integratiebeoordeling"),
            [(_("Uitkomst"), fv.get_beoordeling_display())],
        ),
        (fv.plan_op, "plan", fv.get_plan_soort_display(), []),
        (
            fv.antwoord_op,
            "antwoord",
            _("Antwoord personeelslid"),
            [(_("Antwoord"), fv.get_antwoord_display())],
        ),
    ]
    if fv.beoordeling_ontvangen_op:
        steps[1][3].append((_("Ontvangen door de entiteit op"), fv.beoordeling_ontvangen_op))
    if fv.plan_ontvangen_op:
        steps[2][3].append((_("Ontvangen door het personeelslid op"), fv.plan_ontvangen_op))
    present = [step for step in steps if step[0]]
    last_code = present[-1][1] if present else None
    return [
        Event(day, "formeel", title, details, "", "formeel", fv.pk, code == last_code and code != "aanvraag")
        for day, code, title, details in present
    ]


@dataclass
class MilestoneRow:
    milestone: dl.Milestone
    label: str
    state: str
    action_url: str | None = None
    days_late: int | None = None


def running_request(t: m.Traject) -> m.Aanmelding | None:
    """The trajectory's request to AgO that is not refused (from the prefetched requests)."""
    return next((x for x in t.aanmeldingen.all() if x.status != m.Aanmelding.Status.GEWEIGERD), None)


def dossier_state(t: m.Traject, d: Dossier, day: date) -> a.State:
    if t.status != m.Traject.Status.AFGESLOTEN:
        request = running_request(t)
        return s.state_of(d, day, intake=request.status if request else "")
    try:
        continued = t.voortgezet_als is not None
    except m.Traject.DoesNotExist:
        continued = False
    other_open = (
        m.Traject.objects.filter(personeelslid_id=t.personeelslid_id)
        .exclude(pk=t.pk)
        .exclude(status=m.Traject.Status.AFGESLOTEN)
        .exists()
    )
    return s.state_of(d, day, continued=continued, other_open=other_open)


def action_url(t: m.Traject, action: str, params: dict | None = None) -> str:
    url = reverse("actie", kwargs={"pk": t.pk, "kind": action})
    return f"{url}?{urlencode(params)}" if params else url


@login_required
def dossier(request, pk):
    traject = traject_or_404(request.user, pk, dossier_queryset())
    day = today()
    d = Dossier.of(traject)
    closed = traject.status == m.Traject.Status.AFGESLOTEN
    facts = facts_from(d)
    if closed and traject.afgesloten_op:
        # The deadlines as they stood when the dossier was closed (met on time, late, missed, running).
        evaluation = dl.evaluate(
            dc_replace(facts, closed_on=None), traject.afgesloten_op, mandatory_from=_mandatory_from()
        )
    else:
        evaluation = dl.evaluate(facts, day, mandatory_from=_mandatory_from())
    state = dossier_state(traject, d, day)
    allowed = [
        x for x in a.allowed(state) if x != a.AANMELDEN_AGO or mag_aanmelden_bij_ago(request.user, traject)
    ]
    rows = []
    earlier: dict[int, tuple[date | None, list[MilestoneRow]]] = {}
    for ms in evaluation.milestones:
        row = MilestoneRow(ms, MIJLPALEN.get(ms.code, ms.code), STATES[ms.state])
        if ms.history:
            # an earlier period of incapacity: as it stood when that period ended, no action
            earlier.setdefault(ms.period, (ms.period_start, []))[1].append(row)
            continue
        target = a.MILESTONE_ACTIONS.get(ms.code)
        if not closed and ms.state != dl.MET and target and target[0] in allowed:
            row.action_url = action_url(traject, target[0], target[1])
        if ms.state == dl.MISSED and not closed:
            row.days_late = (day - ms.due).days
        rows.append(row)
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
            "milestones": rows,
            "earlier_periods": [(n, start, r) for n, (start, r) in sorted(earlier.items(), reverse=True)],
            "warnings": [WARNINGS[w] for w in evaluation.warnings if w in WARNINGS],
            "mandatory_reasons": [MIJLPALEN.get(c, c) for c in evaluation.formal_mandatory_reasons],
            "timeline": timeline(traject),
            "voortgezet_als": voortgezet_als,
            "aanmeldingen": list(traject.aanmeldingen.all()),
            "afwezigheid": absences.voor_dossier(traject, day),
            "open": not closed,
            "acties": [
                (code, a.LABELS[code], action_url(traject, code)) for code in allowed if code in a.LABELS
            ],
            "kan_wijzigen": a.WIJZIGEN in allowed,
            "refusal": None if closed else a.refusal(a.WIJZIGEN, state),
        },
    )


def _mandatory_from():
    return settings.FORMEEL_VERPLICHT_VANAF


# --- registering, correcting and removing parts -----------------------------------------------------------

# action -> (form class, title of the registration form)
REGISTER_FORMS = {
    a.GESPREK: (f.GesprekForm, _("Contact of gesprek registreren")),
    a.INSCHATTING: (f.InschattingForm, _("Inschatting registreren")),
    a.STAPPENPLAN: (f.StappenplanForm, _("Stappenplan met maatregelen")),
    a.BETROKKENHEID: (f.BetrokkenheidForm, _("Welzijnsactor betrekken")),
    a.VERLENGING: (f.VerlengingForm, _("Termijn stappenplan verlengen")),
    a.WERKHERVATTING: (f.WerkhervattingForm, _("Werkhervatting registreren")),
    a.HERVAL: (f.HervalForm, _("Herval registreren")),
    a.EVALUATIE: (f.EvaluatieForm, _("Evaluatie registreren")),
    a.ONDERZOEK: (f.OnderzoekForm, _("Onderzoek door de arbeidsarts registreren")),
}
CORRECT_FORMS = {
    "gesprek": (f.GesprekForm, _("Contact of gesprek wijzigen")),
    "inschatting": (f.InschattingForm, _("Inschatting wijzigen")),
    "stappenplan": (f.StappenplanForm, _("Stappenplan wijzigen")),
    "betrokkenheid": (f.BetrokkenheidCorrectieForm, _("Betrokkenheid van een welzijnsactor wijzigen")),
    "verlenging": (f.VerlengingForm, _("Verlenging wijzigen")),
    "werkhervatting": (f.WerkhervattingForm, _("Werkhervatting wijzigen")),
    "herval": (f.HervalCorrectieForm, _("Herval en de werkhervatting ervoor wijzigen")),
    "evaluatie": (f.EvaluatieForm, _("Evaluatie wijzigen")),
    "onderzoek": (f.OnderzoekForm, _("Onderzoek door de arbeidsarts wijzigen")),
}
OTHER_TITLES = {
    a.FORMEEL_STAPPEN: _("Verloop formeel traject"),
    a.OMZETTEN_FORMEEL: _("Omzetten naar een formeel traject"),
    a.OMZETTEN_INFORMEEL: _("Toch uitgevallen: omzetten naar een informeel traject"),
    a.AFSLUITEN: _("Traject afsluiten"),
    a.HEROPENEN: _("Traject heropenen"),
    a.GEGEVENS: _("Gegevens van het dossier wijzigen"),
    a.AANMELDEN_AGO: _("Aanmelden bij AgO voor een entiteitsoverschrijdend traject"),
}


def apply_refusal(form, refused: s.Refused, formset=None) -> None:
    """Put a service's refusal on the form: one message per field, the rest above the form."""
    for name, message in refused.fields.items():
        if name in form.fields and name not in form.errors:
            form.add_error(name, message)
        elif name not in form.fields:
            form.add_error(None, message)
    for message in refused.errors:
        form.add_error(None, message)
    if formset is not None:
        for index, field_errors in refused.maatregelen.items():
            sub = formset.forms[index] if index < len(formset.forms) else None
            for name, message in field_errors.items():
                if sub is not None and name in sub.fields and name not in sub.errors:
                    sub.add_error(name, message)
                else:
                    form.add_error(None, _("Maatregel %(n)d: %(m)s") % {"n": index + 1, "m": message})


def not_allowed(request, t, title, reason):
    return render(
        request, "trajecten/niet_mogelijk.html", {"t": t, "title": title, "reason": reason}, status=409
    )


def _load(request, pk):
    t = traject_or_404(request.user, pk, dossier_queryset())
    return t, Dossier.of(t)


def _render_form(request, t, form, title, formset=None, **extra):
    return render(
        request, "trajecten/form.html", {"form": form, "formset": formset, "title": title, "t": t, **extra}
    )


def _done(request, t, message=None, pk=None):
    messages.success(request, message or _("Opgeslagen."))
    if not zichtbare_trajecten(request.user).filter(pk=pk or t.pk).exists():
        # e.g. HR registered a trajectory for a coach, or withdrew the consent that gave HR access
        messages.info(request, _("U hebt geen inzage (meer) in dit dossier."))
        return redirect("worklist")
    return redirect("dossier", pk=pk or t.pk)


def _already(request, t):
    messages.info(request, _("Dit formulier was al verzonden; er is niets dubbel opgeslagen."))
    return redirect("dossier", pk=t.pk)


@login_required
@require_http_methods(["GET", "POST"])
def actie(request, pk, kind):
    """Register a part or take a step on a dossier (the action ``kind``)."""
    if kind not in REGISTER_FORMS and kind not in OTHER_TITLES:
        raise Http404
    t, d = _load(request, pk)
    title = REGISTER_FORMS[kind][1] if kind in REGISTER_FORMS else OTHER_TITLES[kind]
    state = dossier_state(t, d, today())
    reason = a.refusal(kind, state)
    if reason is not None:
        return not_allowed(request, t, title, reason)
    if kind in REGISTER_FORMS:
        return _register(request, t, kind, title)
    return {
        a.FORMEEL_STAPPEN: _formeel,
        a.OMZETTEN_FORMEEL: _omzetten,
        a.OMZETTEN_INFORMEEL: _omzetten_informeel,
        a.AFSLUITEN: _afsluiten,
        a.HEROPENEN: _heropenen,
        a.GEGEVENS: _gegevens,
        a.AANMELDEN_AGO: _aanmelden_ago,
    }[kind](request, t, title)


CHANGED = None  # the service's own message: "Opgeslagen." (or "niets gewijzigd" when it returns False)


def _submit(request, t, form, call, formset=None, message=CHANGED, pk=None):
    """Call one service with the form's input. Saved: redirect with ``message`` (a callable of the service's
    result gives message and dossier); refused: the messages go on the form and None is returned."""
    try:
        result = call(context_of(request, form))
    except s.AlreadySubmitted:
        return _already(request, t)
    except s.Refused as refused:
        apply_refusal(form, refused, formset)
        return None
    if callable(message):
        message, pk = message(result)
    elif message is CHANGED and result is False:
        message = _("Er was niets gewijzigd.")
    return _done(request, t, message, pk=pk)


def _posted(request, form, formset=None) -> bool:
    return request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid())


def _register(request, t, kind, title):
    form_class = REGISTER_FORMS[kind][0]
    data = request.POST or None
    initial = {k: v for k, v in request.GET.items() if k in ("soort",)}  # from a milestone's link
    kwargs = {"traject": t} if kind == a.STAPPENPLAN else {}
    form = form_class(data, initial=initial, **kwargs)
    formset = None
    if kind == a.STAPPENPLAN:
        formset = f.maatregel_formset(False)(data, instance=m.Stappenplan(traject=t), prefix="maatregel")
    if _posted(request, form, formset):
        rows = f.maatregel_rows(formset) if formset is not None else None
        done = _submit(
            request, t, form, lambda ctx: s.register_part(ctx, t.pk, kind, form.values(), rows), formset
        )
        if done:
            return done
    return _render_form(request, t, form, title, formset)


def _formeel(request, t, title):
    verloop = getattr(t, "formeel_verloop", None)
    form = f.FormeelVerloopForm(request.POST or None, instance=verloop or m.FormeelVerloop(traject=t))
    if _posted(request, form):
        reason = form.cleaned_data.get("wijzigingsreden", "")
        done = _submit(request, t, form, lambda ctx: s.save_formal_steps(ctx, t.pk, form.values(), reason))
        if done:
            return done
    return _render_form(request, t, form, title)


def _convert(form_class, service, message):
    def view(request, t, title):
        form = form_class(request.POST or None)
        if _posted(request, form):
            done = _submit(
                request,
                t,
                form,
                lambda ctx: service(ctx, t.pk, form.values()),
                message=lambda new: (message, new.pk),
            )
            if done:
                return done
        return _render_form(request, t, form, title)

    return view


_omzetten = _convert(f.OmzettenForm, s.convert_to_formal, _("Het traject loopt verder als formeel traject."))
_omzetten_informeel = _convert(
    f.OmzettenInformeelForm, s.convert_to_informal, _("Het traject loopt verder als informeel traject.")
)


def _afsluiten(request, t, title):
    """Closing asks a confirmation that shows the outcome chosen; only the confirmed form closes."""
    form = f.AfsluitenForm(request.POST or None, traject=t)
    if _posted(request, form):
        if not form.cleaned_data.get("bevestigd"):
            try:
                s.close(s.ActionContext(request.user, today()), t.pk, form.values(), dry_run=True)
            except s.Refused as refused:
                apply_refusal(form, refused)
            else:
                context = {
                    "t": t,
                    "title": _("Afsluiten bevestigen"),
                    "form": form,
                    "uitkomst": dict(m.Traject.Uitkomst.choices)[form.cleaned_data["uitkomst"]],
                    "datum": form.cleaned_data["afgesloten_op"],
                    "reden": form.cleaned_data.get("uitkomst_reden", ""),
                }
                return render(request, "trajecten/bevestigen.html", context)
        else:
            done = _submit(
                request,
                t,
                form,
                lambda ctx: s.close(ctx, t.pk, form.values()),
                message=_("Het traject is afgesloten."),
            )
            if done:
                return done
    return _render_form(request, t, form, title)


def _heropenen(request, t, title):
    form = f.ReasonForm(request.POST or None)
    if _posted(request, form):
        reason = form.cleaned_data["wijzigingsreden"]
        message = _("Het traject is heropend; de termijnen lopen opnieuw.")
        done = _submit(request, t, form, lambda ctx: s.reopen(ctx, t.pk, reason), message=message)
        if done:
            return done
    intro = _(
        "De uitkomst en de datum van afsluiting worden gewist en de termijnen lopen opnieuw. "
        "De afsluiting blijft zichtbaar in de historiek, met de reden die u hier opgeeft."
    )
    return _render_form(request, t, form, title, intro=intro, submit=_("Heropenen"))


def _aanmelden_ago(request, t, title):
    if not mag_aanmelden_bij_ago(request.user, t):
        raise Http404
    form = f.AanmeldenForm(request.POST or None)
    if _posted(request, form):
        motivatie = form.cleaned_data["motivatie"]
        done = _submit(
            request,
            t,
            form,
            lambda ctx: s.intake.aanmelden(ctx, t.pk, motivatie),
            message=_("Het traject is aangemeld bij AgO."),
        )
        if done:
            return done
    intro = _(
        "Een entiteitsoverschrijdend traject wordt centraal aangemeld bij de adviseurs van AgO (omzendbrief, "
        "punt 4.4). AgO aanvaardt of weigert de aanmelding, wijst een trajectbegeleider toe en legt de "
        "doelentiteit vast zodra die gevonden is; pas dan neemt die entiteit deel aan het dossier."
    )
    return _render_form(request, t, form, title, intro=intro, submit=_("Aanmelden bij AgO"))


def _gegevens(request, t, title):
    form = f.GegevensForm(request.POST or None, instance=t)
    if _posted(request, form):
        reason = form.cleaned_data["wijzigingsreden"]
        done = _submit(request, t, form, lambda ctx: s.correct_core(ctx, t.pk, form.values(), reason))
        if done:
            return done
    return _render_form(request, t, form, title)


def _find_part(t: m.Traject, d: Dossier, kind: str, part_pk: int):
    if kind == "werkhervatting":
        if t.werkhervatting_op is None or part_pk != t.pk:
            raise Http404
        return t
    if kind == "formeel":
        fv = d.formeel
        if fv is None or fv.pk != part_pk:
            raise Http404
        return fv
    if kind not in s.PART_MODELS:
        raise Http404
    obj = next((p for p in d.parts(kind) if p.pk == part_pk), None)
    if obj is None:
        raise Http404
    return obj


@login_required
@require_http_methods(["GET", "POST"])
def wijzigen(request, pk, kind, part):
    """Correct a registered part: the registration form, pre-filled, with the same checks and a reason."""
    t, d = _load(request, pk)
    obj = _find_part(t, d, kind, part)
    if kind == "formeel":
        return redirect("actie", pk=t.pk, kind=a.FORMEEL_STAPPEN)
    form_class, title = CORRECT_FORMS[kind]
    reason = a.refusal(a.WIJZIGEN, dossier_state(t, d, today()))
    if reason is not None:
        return not_allowed(request, t, title, reason)
    data = request.POST or None
    kwargs = {"traject": t} if kind == "stappenplan" else {}
    form = f.with_reason(form_class)(data, instance=obj, **kwargs)
    formset = None
    if kind == "stappenplan":
        formset = f.maatregel_formset(True)(data, instance=obj, prefix="maatregel")
    if _posted(request, form, formset):
        rows = f.maatregel_rows(formset) if formset is not None else None
        reason = form.cleaned_data["wijzigingsreden"]
        done = _submit(
            request,
            t,
            form,
            lambda ctx: s.correct_part(ctx, t.pk, kind, obj.pk, form.values(), reason, rows),
            formset,
        )
        if done:
            return done
    return _render_form(request, t, form, title, formset)


@login_required
@require_http_methods(["GET", "POST"])
def verwijderen(request, pk, kind, part):
    """Remove a part registered by mistake, after a confirmation, with a reason kept in the history."""
    t, d = _load(request, pk)
    obj = _find_part(t, d, kind, part)
    events = [e for e in timeline(t) if e.kind == kind and e.part_pk == obj.pk and e.removable]
    if not events:
        raise Http404
    event = events[-1]
    title = _("%(wat)s van %(d)s verwijderen") % {"wat": event.titel, "d": event.datum.strftime("%d/%m/%Y")}
    reason = a.refusal(a.VERWIJDEREN, dossier_state(t, d, today()))
    if reason is not None:
        return not_allowed(request, t, title, reason)
    form = f.ReasonForm(request.POST or None)
    if _posted(request, form):
        why = form.cleaned_data["wijzigingsreden"]

        def remove(ctx):
            if kind == "formeel":
                return s.remove_formal_step(ctx, t.pk, why)
            return s.remove_part(ctx, t.pk, kind, obj.pk, why)

        done = _submit(
            request, t, form, remove, message=_("Verwijderd. Het blijft zichtbaar in de historiek.")
        )
        if done:
            return done
    intro = _(
        "U verwijdert dit uit de tijdlijn. Het blijft in de historiek staan, met de reden die u opgeeft."
    )
    return _render_form(
        request, t, form, title, event=event, intro=intro, submit=_("Verwijderen"), danger=True
    )


@login_required
def historiek(request, pk):
    from .history import dossier_history

    traject = traject_or_404(request.user, pk, m.Traject.objects.select_related("personeelslid"))
    return render(request, "trajecten/historiek.html", {"t": traject, "entries": dossier_history(traject)})
