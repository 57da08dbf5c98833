"""Access by role and entity, in one place.

Every view, export and form that touches a dossier gets its trajectories through ``zichtbare_trajecten``
or ``traject_or_404``; a dossier the user may not see does not exist for them (404, never 403).
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from entiteiten.models import Gebruiker

from .models import Traject


def zichtbare_trajecten(user) -> QuerySet[Traject]:
    qs = Traject.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_ago:
        return qs
    if user.rol in (Gebruiker.Rol.TERUGKEERCOACH, Gebruiker.Rol.HR) and user.entiteit_id:
        # Own entity's trajectories, and entity-crossing ones in which the entity takes part.
        return qs.filter(Q(entiteit_id=user.entiteit_id) | Q(doel_entiteit_id=user.entiteit_id))
    return qs.none()


def traject_or_404(user, pk, queryset: QuerySet[Traject] | None = None) -> Traject:
    qs = queryset if queryset is not None else Traject.objects.all()
    return get_object_or_404(qs & zichtbare_trajecten(user), pk=pk)


def mag_registreren(user) -> bool:
    """Coaches, HR (where the entity has no coach yet, or beside them) and AgO register trajectories."""
    return getattr(user, "is_authenticated", False) and (
        user.is_ago or user.rol in (Gebruiker.Rol.TERUGKEERCOACH, Gebruiker.Rol.HR)
    )
