"""AgO's queue of requests for entity-crossing trajectories: accept, refuse, record the target entity."""

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

from entiteiten.models import Entiteit, Gebruiker
from reintegratie import access

from . import actions as a
from . import models as m
from . import services as s
from .forms import DatumField, TokenMixin, reason_field
from .views import apply_refusal

Status = m.Aanmelding.Status
OPEN = "open"


class AanvaardenForm(TokenMixin):
    trajectbegeleider = forms.ModelChoiceField(
        label=gettext_lazy("AgO-trajectbegeleider"), queryset=Gebruiker.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trajectbegeleider"].queryset = access.ago_trajectbegeleiders()


class WeigerenForm(TokenMixin):
    weigerreden = forms.CharField(
        label=gettext_lazy("Reden van de weigering"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("De entiteit ziet deze reden in het dossier. Geen medische gegevens."),
    )


class DoelentiteitForm(TokenMixin):
    doelentiteit = forms.ModelChoiceField(
        label=gettext_lazy("Doelentiteit"), queryset=Entiteit.objects.none()
    )
    doelentiteit_op = DatumField(label=gettext_lazy("Gevonden op"))
    reden = reason_field(
        label=gettext_lazy("Reden van de wijziging (als u de doelentiteit wijzigt)"), required=False
    )

    def __init__(self, *args, aanmelding, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doelentiteit"].queryset = Entiteit.objects.filter(actief=True).exclude(
            pk=aanmelding.traject.entiteit_id
        )
        if aanmelding.status != Status.DOELENTITEIT_GEVONDEN:
            del self.fields["reden"]
        else:
            self.fields["doelentiteit"].initial = aanmelding.doelentiteit_id
            self.fields["doelentiteit_op"].initial = aanmelding.doelentiteit_op


def _only_ago(request):
    if not access.mag_intake(request.user):
        raise Http404


@login_required
def aanmeldingen(request):
    """The queue: open requests first (oldest first), filterable by status."""
    _only_ago(request)
    status = request.GET.get("status", OPEN)
    qs = m.Aanmelding.objects.select_related(
        "traject__personeelslid", "traject__entiteit", "trajectbegeleider", "doelentiteit"
    )
    if status == OPEN:
        qs = qs.filter(status__in=[Status.AANGEMELD, Status.AANVAARD])
    elif status in Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("aangemeld_op", "pk"), 25).get_page(request.GET.get("pagina"))
    return render(
        request,
        "trajecten/aanmeldingen.html",
        {
            "page": page,
            "status": status,
            "statussen": [(OPEN, _("Open (aangemeld of aanvaard)")), *Status.choices, ("alle", _("Alle"))],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def aanmelding(request, pk):
    """One request: AgO accepts (with a trajectbegeleider), refuses (with a reason) or records the target."""
    _only_ago(request)
    obj = get_object_or_404(
        m.Aanmelding.objects.select_related("traject__personeelslid", "traject__entiteit", "aangemeld_door"),
        pk=pk,
    )
    decision = request.POST.get("beslissing") if request.method == "POST" else None
    data = request.POST if decision else None
    forms_ = {
        a.AANVAARDEN: AanvaardenForm(data if decision == a.AANVAARDEN else None, prefix="aanvaarden"),
        a.WEIGEREN: WeigerenForm(data if decision == a.WEIGEREN else None, prefix="weigeren"),
        a.DOELENTITEIT: DoelentiteitForm(
            data if decision == a.DOELENTITEIT else None, prefix="doel", aanmelding=obj
        ),
    }
    if decision in forms_:
        form = forms_[decision]
        if form.is_valid():
            ctx = s.ActionContext(user=request.user, today=timezone.localdate(), token=form.token)
            c = form.cleaned_data
            try:
                if decision == a.AANVAARDEN:
                    s.intake.aanvaarden(ctx, obj.pk, c["trajectbegeleider"])
                elif decision == a.WEIGEREN:
                    s.intake.weigeren(ctx, obj.pk, c["weigerreden"])
                else:
                    s.intake.doelentiteit_vastleggen(
                        ctx, obj.pk, c["doelentiteit"], c["doelentiteit_op"], c.get("reden", "")
                    )
            except s.AlreadySubmitted:
                messages.info(request, _("Dit formulier was al verzonden; er is niets dubbel opgeslagen."))
                return redirect("aanmelding", pk=obj.pk)
            except s.Refused as refused:
                apply_refusal(form, refused)
            else:
                messages.success(request, _("Opgeslagen."))
                return redirect("aanmelding", pk=obj.pk)
    possible = {d: f for d, f in forms_.items() if a.intake_refusal(d, obj.status) is None}
    return render(request, "trajecten/aanmelding.html", {"a": obj, "forms": possible, "t": obj.traject})
