from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .access import zichtbare_trajecten
from .models import Traject


@login_required
def home(request):
    qs = zichtbare_trajecten(request.user)
    context = {
        "open_count": qs.exclude(status=Traject.Status.AFGESLOTEN).count(),
    }
    return render(request, "trajecten/home.html", context)
