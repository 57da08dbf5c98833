from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from reintegratie.access import mag_inzageverzoek, mag_leeslog, traject_or_404
from trajecten.models import Personeelslid

from .inzage import render_pdf
from .models import ReadLogEntry

PAGE_SIZE = 50


@login_required
@require_GET
def inzageverzoek(request, pk):
    """The staff member's access request (GDPR art. 15) as a PDF: AgO or a coach of their trajectories."""
    person = get_object_or_404(Personeelslid, pk=pk)
    if not mag_inzageverzoek(request.user, person):
        raise Http404
    response = HttpResponse(render_pdf(person, request.user), content_type="application/pdf")
    name = f"inzageverzoek-{person.pk}-{timezone.localdate():%Y%m%d}.pdf"  # no name in the file name
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def raadplegingen(request, pk):
    """AgO: who read this dossier (and its staff member's other data), newest first."""
    if not mag_leeslog(request.user):
        raise Http404
    traject = traject_or_404(request.user, pk)
    entries = (
        ReadLogEntry.objects.filter(Q(traject_id=traject.pk) | Q(personeelslid_id=traject.personeelslid_id))
        .select_related("gebruiker__entiteit")
        .order_by("-tijdstip", "-pk")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "privacy/raadplegingen.html",
        {"t": traject, "page": page, "read_log_days": settings.READ_LOG_RETENTION_DAYS},
    )
