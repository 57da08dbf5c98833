"""Absence data from the personnel system: upload (HR for its entity, AgO for all), progress and refused lines,
and the list of staff absent 4 weeks or more without a trajectory."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from reintegratie import access

from . import absences
from . import services as s
from .forms import TokenMixin
from .tasks import importeer_afwezigheden

MAX_BYTES = 20 * 1024 * 1024


class UploadForm(TokenMixin):
    bestand = forms.FileField(
        label=gettext_lazy("CSV-bestand uit het personeelssysteem"),
        help_text=gettext_lazy(
            "Kolommen personeelsnummer;entiteit;eerste_dag;laatste_dag (leeg zolang de afwezigheid loopt). "
            "Geen medische gegevens."
        ),
    )

    def clean_bestand(self):
        f = self.cleaned_data["bestand"]
        if f.size > MAX_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 20 MB."))
        raw = f.read()
        try:
            self.text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                _("Het bestand is geen UTF-8-tekst (CSV). Exporteer het als CSV UTF-8.")
            ) from exc
        return f


@login_required
@require_http_methods(["GET", "POST"])
def afwezigheden(request):
    if not access.mag_afwezigheden_importeren(request.user):
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        only = None if access.ziet_alle_entiteiten(request.user) else request.user.entiteit
        ctx = s.ActionContext(user=request.user, today=timezone.localdate(), token=form.token)
        try:
            imp = s.afwezigheden.aanvragen(ctx, form.cleaned_data["bestand"].name, form.text, only)
        except s.AlreadySubmitted:
            messages.info(request, _("Dit bestand was al opgeladen."))
            return redirect("afwezigheden")
        importeer_afwezigheden.delay(imp.pk)
        return redirect("afwezigheden_import", pk=imp.pk)
    imports = list(access.zichtbare_imports(request.user)[:20])
    return render(request, "trajecten/afwezigheden.html", {"form": form, "imports": imports})


@login_required
def afwezigheden_import(request, pk):
    imp = get_object_or_404(access.zichtbare_imports(request.user), pk=pk)
    done, total = s.afwezigheden.progress(imp)
    running = imp.status in (imp.Status.WACHTRIJ, imp.Status.BEZIG)
    return render(
        request,
        "trajecten/afwezigheden_import.html",
        {"imp": imp, "done": done, "total": total, "running": running},
    )


@login_required
def afwezig_zonder_traject(request):
    """Staff absent 4 weeks or more without a trajectory, with one click to register one from D0."""
    if not access.heeft_toegang(request.user):
        raise Http404
    qs = absences.zonder_traject(access.zichtbare_entiteiten(request.user), timezone.localdate())
    page = Paginator(qs, 25).get_page(request.GET.get("pagina"))
    return render(request, "trajecten/afwezig_zonder_traject.html", {"page": page})
