"""Dashboards, exports and the download page. Access: AgO every entity; HR and coaches their own."""

from datetime import datetime
from typing import NamedTuple

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from entiteiten.models import Entiteit
from reintegratie import access
from reintegratie.widgets import SnelleModelSelect
from trajecten.models import Traject

from . import disclosure as dc
from . import figures as fg
from . import pdf, services
from .documents import report_document
from .exports import table_rows, to_csv, to_xlsx
from .models import Cijferset, Rapport
from .sections import report_content
from .services import ANSWERS, request_extract, request_year
from .tasks import compute_period_figures, generate_reports, refresh_year_figures

# Who sees which entities' figures and reports: reintegratie.access, for the whole tool.
allowed_entities = access.zichtbare_entiteiten
visible_reports = access.zichtbare_rapporten


FIRST_YEAR, LAST_YEAR = 2000, 2100  # the figures are computed for periods within these years


def _year_errors(last):
    message = format_lazy(
        gettext_lazy("Kies een jaar van {first} tot en met {last}."), first=FIRST_YEAR, last=last
    )
    return {"min_value": message, "max_value": message, "invalid": message, "required": message}


class JaarForm(forms.Form):
    """The year of a report request or a recomputation: from 2000 up to this year (nothing in the future)."""

    jaar = forms.IntegerField(label=gettext_lazy("Jaar"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.last_year = timezone.localdate().year
        self.fields["jaar"].error_messages = _year_errors(self.last_year)
        self.fields["jaar"].widget.attrs.update({"min": FIRST_YEAR, "max": self.last_year})

    def clean_jaar(self):
        jaar = self.cleaned_data["jaar"]
        if not FIRST_YEAR <= jaar <= self.last_year:
            raise forms.ValidationError(self.fields["jaar"].error_messages["max_value"])
        return jaar


class ExtractJaarForm(JaarForm):
    """HR's request for its entity's extract: a year field of its own (prefix "extract") on the same page."""

    prefix = "extract"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jaar"].label = gettext_lazy("Jaar van het extract")


class PeriodForm(forms.Form):
    jaar = forms.IntegerField(
        label=gettext_lazy("Jaar"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        required=False,
        error_messages=_year_errors(LAST_YEAR),
    )
    van = forms.DateField(
        label=gettext_lazy("Of van"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    tot = forms.DateField(
        label=gettext_lazy("tot en met"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    entiteit = forms.ModelChoiceField(
        label=gettext_lazy("Entiteit"),
        queryset=Entiteit.objects.none(),
        required=False,
        # every entity for AgO: Django's template per option was a third of the page
        widget=SnelleModelSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        qs = allowed_entities(user)
        self.fields["entiteit"].queryset = qs
        self.fields["entiteit"].empty_label = (
            _("Alle entiteiten (Vlaamse overheid)") if access.ziet_alle_entiteiten(user) else None
        )
        for name in ("van", "tot"):
            self.fields[name].widget.attrs.update({"placeholder": _("dd/mm/jjjj"), "size": 10})

    def clean(self):
        c = super().clean()
        van, tot = c.get("van"), c.get("tot")
        if (van is None) != (tot is None):
            raise forms.ValidationError(_("Geef zowel een begin- als een einddatum, of kies een jaar."))
        if van and tot and tot < van:
            raise forms.ValidationError(_("De einddatum ligt vóór de begindatum."))
        if any(d and not FIRST_YEAR <= d.year <= LAST_YEAR for d in (van, tot)):
            raise forms.ValidationError(
                _("Kies een periode tussen 01/01/%(first)s en 31/12/%(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        if not access.ziet_alle_entiteiten(self.user) and c.get("entiteit") is None:
            c["entiteit"] = allowed_entities(self.user).first()
        return c

    def periode(self) -> fg.Periode:
        c = self.cleaned_data
        if c.get("van") and c.get("tot"):
            return fg.Periode(c["van"], c["tot"])
        return fg.Periode.year(c.get("jaar") or timezone.localdate().year)


def _period_and_entity(request):
    if not access.mag_rapportering(request.user):
        raise Http404
    asked = request.GET.get("entiteit")
    if asked and not access.ziet_alle_entiteiten(request.user) and asked != str(request.user.entiteit_id):
        raise Http404  # another entity's figures do not exist for this user
    form = PeriodForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        return form, None, None
    if not request.GET:
        form = PeriodForm({"jaar": timezone.localdate().year}, user=request.user)
        form.is_valid()
    entiteit = form.cleaned_data.get("entiteit")
    if entiteit is None and not access.ziet_alle_entiteiten(request.user):
        raise Http404
    return form, form.periode(), entiteit


def figures(
    periode: fg.Periode, entiteit: Entiteit | None
) -> tuple[fg.Report | None, fg.Report | None, object]:
    """The figures of a period and of the same period a year earlier, as the dashboard shows them: a
    calendar year's stored figures (refreshed nightly, so the page answers at VO scale; the year before
    only when stored, else queued and left out now), any other period's kept ones (``period_figures``).
    Returns (report, previous, snap): ``snap`` says when they were computed (the stored year's row, or a
    ``Berekend``), and ``report`` is None while they are being computed in the background."""
    if periode != fg.Periode.year(periode.start.year):
        return period_figures(periode, entiteit)
    snap = stored_year_figures(periode.start.year)
    if snap is None:
        return None, None, None
    before = stored_year_figures(periode.start.year - 1)
    return stored_report(snap), stored_report(before) if before is not None else None, snap


class Berekend(NamedTuple):
    """When a kept period's figures were computed (the dashboard says so, as for a stored year)."""

    berekend_op: datetime


def period_figures(
    periode: fg.Periode, entiteit: Entiteit | None
) -> tuple[fg.Report | None, fg.Report | None, Berekend | None]:
    """A period that is not a calendar year, for one entity or the VO, with the same period a year earlier:
    computed once and kept ``REPORT_PERIOD_SECONDS`` (services.store_period), with the answers of its
    protections. A scope of at most ``REPORT_INLINE_UP_TO`` trajectories is computed in the request (about
    half a second); a larger one (the largest entity's half year took 1.2 s at 100,000 trajectories, the VO's
    a minute) is queued for a worker, once, and (None, None, None) says it is being computed. With
    tasks in-process (development, tests) it is computed now."""
    entiteit_id = entiteit.pk if entiteit else None
    key = services.period_key(periode, entiteit_id)
    data = cache.get(key)
    if data is None:
        if compute_period_figures.app.conf.task_always_eager or _small_scope(entiteit):
            data = services.store_period(periode, entiteit)
        else:
            if cache.add(services.period_mark(key), True, timeout=QUEUED_FOR):
                compute_period_figures.delay(periode.start.isoformat(), periode.end.isoformat(), entiteit_id)
            return None, None, None
    memo = (key, data["berekend_op"])
    pair = _PERIODS.get(memo)
    if pair is None:  # decoded once per process and computation, as the stored years (_REPORTS)
        pair = fg.report_from_dict(data["report"]), fg.report_from_dict(data["previous"])
        pair[0].__dict__[ANSWERS] = data.get(ANSWERS, {})
        _remember(_PERIODS, memo, pair)
    return *pair, Berekend(datetime.fromisoformat(data["berekend_op"]))


def _small_scope(entiteit: Entiteit | None) -> bool:
    """At most ``REPORT_INLINE_UP_TO`` trajectories in the scope (a bounded count)."""
    limit = settings.REPORT_INLINE_UP_TO
    scope = Traject.objects.filter(entiteit=entiteit) if entiteit else Traject.objects.all()
    return limit > 0 and scope.order_by()[: limit + 1].count() <= limit


def stored_answers(*reports: fg.Report | None) -> dict[str, list[str]]:
    """The protections solved when stored years' or kept periods' figures were computed
    (services.store_year, services.store_period; none for a live period): handed to ``disclosure.known``,
    so that no request solves them again."""
    out: dict[str, list[str]] = {}
    for report in reports:
        out |= report.__dict__.get(ANSWERS, {}) if report is not None else {}
    return out


@login_required
def dashboard(request):
    form, periode, entiteit = _period_and_entity(request)
    context = {"form": form, "periode": periode, "entiteit": entiteit, "sections": []}
    if periode is not None:
        report, previous, snap = figures(periode, entiteit)
        if report is None:
            context["berekenen"] = True  # computed in the background: the page says so and refreshes
        else:
            if snap is not None:
                context["berekend_op"] = snap.berekend_op
                if isinstance(snap, Berekend):  # a kept period, not a stored year
                    context["bewaard_minuten"] = max(1, settings.REPORT_PERIOD_SECONDS // 60)
            with dc.known(stored_answers(previous, report)):
                content = report_content(report, entiteit, previous)
            context["findings"] = content.findings
            context["sections"] = pdf.table_sections(content.tables)
        context["query"] = request.GET.urlencode() or f"jaar={periode.start.year}"
        context["threshold"] = fg.threshold()
    return render(request, "rapportering/dashboard.html", context)


QUEUED_FOR = 10 * 60  # seconds a queued computation of a year or period keeps others from queueing it again


def stored_year_figures(year: int) -> Cijferset | None:
    """A year's stored figures; when none exist, their computation is queued (once) and None says that
    they are being computed. Nobody waits for a year nobody asked for before (seconds at VO scale). With
    tasks in-process (development, tests) the computation runs now and its figures are returned."""
    periode = fg.Periode.year(year)
    stored = Cijferset.objects.filter(periode_start=periode.start, periode_eind=periode.end).defer("data")
    snap = stored.first()
    key = f"rapportering:cijfers-in-wachtrij:{year}"
    in_process = refresh_year_figures.app.conf.task_always_eager
    if snap is None and (in_process or cache.add(key, True, timeout=QUEUED_FOR)):
        refresh_year_figures.delay([year])
        snap = stored.first()
        if snap is not None:  # computed in-process
            cache.delete(key)
    return snap


# A process keeps the last few years it read, as objects: a year's stored figures are a large JSON document
# (hundreds of KB at VO scale) whose decoding into objects cost more than the rest of the dashboard and
# made its slow requests slower (garbage collection). The key holds the computation's time, so a refreshed
# year is read anew.
_REPORTS: dict[tuple[int, object], fg.Report] = {}
_PERIODS: dict[tuple[str, str], tuple[fg.Report, fg.Report]] = {}
_REPORTS_KEPT = 4


def _remember(memo: dict, key, value) -> None:
    """Keep ``value`` in ``memo``, forgetting the oldest beyond ``_REPORTS_KEPT``."""
    while len(memo) >= _REPORTS_KEPT:
        memo.pop(next(iter(memo)))
    memo[key] = value


def stored_report(snap: Cijferset) -> fg.Report:
    """The report of a stored year (``snap`` may come without its data: it is read only when needed)."""
    key = (snap.pk, snap.berekend_op)
    report = _REPORTS.get(key)
    if report is None:
        data = Cijferset.objects.filter(pk=snap.pk).values_list("data", flat=True).first()
        if data is None:  # refreshed (replaced) between the two reads: computed here, not kept
            return fg.build(fg.Periode(snap.periode_start, snap.periode_eind))
        report = fg.report_from_dict(data)
        report.__dict__[ANSWERS] = data.get(ANSWERS, {})
        _remember(_REPORTS, key, report)
    return report


@login_required
def export(request, fmt):
    form, periode, entiteit = _period_and_entity(request)
    if periode is None:  # bad period or entity: the dashboard's form with its errors, no file
        return render(request, "rapportering/dashboard.html", {"form": form, "sections": []}, status=400)
    # "Download deze cijfers": the figures the dashboard shows (a calendar year's stored ones, a period's kept
    # ones), computed now only while they are still being computed in the background
    report, previous, _snap = figures(periode, entiteit)
    if report is None:
        report, previous = services.live_figures(periode, entiteit)
    who = entiteit.code if entiteit else "VO"
    name = f"reintegratie-{'eoc' if entiteit else 'hoc'}-{who}-{periode.start:%Y%m%d}-{periode.end:%Y%m%d}"
    with dc.known(stored_answers(previous, report)):
        doc = report_document(report, entiteit, previous)
    if fmt == "pdf":
        data, ctype = pdf.render(doc), "application/pdf"
    elif fmt == "xlsx":
        data = to_xlsx(doc, {who: doc.tables})
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "csv":
        data, ctype = to_csv(table_rows(doc.tables)), "text/csv; charset=utf-8"
    else:
        raise Http404
    response = HttpResponse(data, content_type=ctype)
    # Django's own builder quotes or percent-encodes whatever the name holds (never a raw newline or quote).
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{fmt}")
    return response


@login_required
def rapporten(request):
    if not access.mag_rapportering(request.user):
        raise Http404
    return _rapporten_page(request)


def last_complete_year(today) -> int:
    """The year a yearly report is about by default: the last calendar year that has ended."""
    return today.year - 1


def report_group(soort: str) -> str:
    """hoc, eoc, sjabloon or extract: the kind of report a file belongs to (its PDF, XLSX, CSV)."""
    return soort.split("_")[0]


def report_groups():
    return [
        ("hoc", _("HOC-rapport (Vlaamse overheid)")),
        ("eoc", _("EOC-rapporten per entiteit")),
        ("sjabloon", _("Standaardsjabloon aantallen en inspanningen per entiteit")),
        ("extract", _("Geanonimiseerd extract voor de preventieadviseur-arbeidsarts")),
    ]


def grouped(reports: list[Rapport]) -> list[dict]:
    """The reports per year (newest first) and, within a year, per kind (HOC, EOC, template, extract)."""
    by_year: dict[int, dict[str, list[Rapport]]] = {}
    for r in reports:
        by_year.setdefault(r.jaar, {}).setdefault(report_group(r.soort), []).append(r)
    return [
        {
            "jaar": year,
            "groups": [
                {"key": key, "title": title, "reports": by_year[year][key]}
                for key, title in report_groups()
                if key in by_year[year]
            ],
        }
        for year in sorted(by_year, reverse=True)
    ]


def _year_form(form_class=JaarForm) -> JaarForm:
    return form_class(initial={"jaar": last_complete_year(timezone.localdate())})


def _rapporten_page(request, form=None, extract_form=None, status=200):
    reports = list(visible_reports(request.user).order_by("-jaar", "-aangevraagd_op", "soort")[:500])
    pending = [r for r in reports if r.status in (Rapport.Status.WACHTRIJ, Rapport.Status.BEZIG)]
    done = sum(1 for r in reports if r.status in (Rapport.Status.KLAAR, Rapport.Status.MISLUKT))
    return render(
        request,
        "rapportering/rapporten.html",
        {
            "years": grouped(reports),
            "pending": len(pending),
            "done": done,
            "total": len(reports),
            "form": form or _year_form(),
            "extract_form": extract_form or _year_form(ExtractJaarForm),
            "can_request": access.mag_rapport_aanvragen(request.user),
            "can_request_extract": access.mag_extract_aanvragen(request.user),
        },
        status=status,
    )


def _request_reports(request, may, form_class, form_name: str, make, message) -> HttpResponse:
    """A POST that asks for reports of a year: allowed by ``may`` (reintegratie.access), the year checked
    by ``form_class`` (errors back on the reports page), ``make(year, user)`` records them, a worker makes them."""
    if not may(request.user):
        raise Http404
    form = form_class(request.POST)
    if not form.is_valid():
        return _rapporten_page(request, **{form_name: form}, status=400)
    year = form.cleaned_data["jaar"]
    rows = make(year, request.user)
    generate_reports.delay([r.pk for r in rows])
    messages.success(request, message(year, rows))
    return redirect("rapporten")


@login_required
@require_POST
def aanvragen(request):
    return _request_reports(
        request,
        access.mag_rapport_aanvragen,
        JaarForm,
        "form",
        lambda year, user: request_year(
            year, user, None if access.ziet_alle_entiteiten(user) else [user.entiteit]
        ),
        lambda year, rows: _("%(n)s rapporten voor %(j)s worden opgemaakt.") % {"n": len(rows), "j": year},
    )


@login_required
@require_POST
def extract_aanvragen(request):
    """HR: its own entity's anonymised extract for the preventieadviseur-arbeidsarts."""
    return _request_reports(
        request,
        access.mag_extract_aanvragen,
        ExtractJaarForm,
        "extract_form",
        lambda year, user: request_extract(year, user, user.entiteit),
        lambda year, rows: (
            _("Het extract voor de preventieadviseur-arbeidsarts van %(j)s wordt opgemaakt.") % {"j": year}
        ),
    )


@login_required
def download(request, pk):
    r = get_object_or_404(visible_reports(request.user), pk=pk, status=Rapport.Status.KLAAR)
    return FileResponse(r.bestand.open("rb"), as_attachment=True, filename=r.bestandsnaam)


@login_required
@require_POST
def herberekenen(request):
    """AgO: recompute a year's stored dashboard figures now (in the background)."""
    if not access.mag_herberekenen(request.user):
        raise Http404
    form = JaarForm(request.POST)
    if not form.is_valid():  # the year is a hidden field: say what was wrong on the dashboard
        messages.error(request, " ".join(form.errors["jaar"]))
        return redirect("dashboard")
    year = form.cleaned_data["jaar"]
    refresh_year_figures.delay([year])
    messages.success(request, _("De cijfers van %(j)s worden herberekend.") % {"j": year})
    return redirect(f"{reverse('dashboard')}?jaar={year}")
