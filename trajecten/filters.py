import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from entiteiten.models import Gebruiker
from reintegratie import access
from reintegratie.widgets import SnelleModelSelect, SnelleSelect

from .models import Aanmelding, Traject

OPEN = "open"


def coaches(request):
    return access.coaches(getattr(request, "user", None))


def entiteiten(request):
    return access.zichtbare_entiteiten(getattr(request, "user", None))


MIJN, ALLE = "mijn", "alle"


class TrajectFilter(django_filters.FilterSet):
    wie = django_filters.ChoiceFilter(
        label=_("Trajecten"),
        choices=[(MIJN, _("Waarvan ik coach ben")), (ALLE, _("Alle van de entiteit"))],
        empty_label=None,
        method="filter_wie",
        widget=forms.RadioSelect,
    )
    q = django_filters.CharFilter(label=_("Zoek op naam of personeelsnummer"), method="zoek")
    soort = django_filters.ChoiceFilter(
        choices=Traject.Soort.choices, empty_label=_("Alle soorten"), widget=SnelleSelect
    )
    status = django_filters.ChoiceFilter(
        choices=[(OPEN, _("Alle open trajecten")), *Traject.Status.choices],
        empty_label=None,
        method="filter_status",
        widget=SnelleSelect,
    )
    coach = django_filters.ModelChoiceFilter(
        queryset=coaches, empty_label=_("Alle coaches"), widget=SnelleModelSelect
    )
    entiteit = django_filters.ModelChoiceFilter(
        queryset=entiteiten, empty_label=_("Alle entiteiten"), widget=SnelleModelSelect
    )
    overschrijdend = django_filters.ChoiceFilter(
        label=_("Entiteitsoverschrijdend (AgO)"),
        choices=Aanmelding.Status.choices,
        empty_label=_("Alle"),
        method="filter_overschrijdend",
        widget=SnelleSelect,
    )
    te_laat = django_filters.BooleanFilter(
        label=_("Alleen met overschreden termijn"), method="filter_te_laat", widget=forms.CheckboxInput
    )

    class Meta:
        model = Traject
        fields = ["wie", "q", "soort", "status", "coach", "entiteit", "overschrijdend", "te_laat"]

    def __init__(self, data=None, *args, today, request=None, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("status", OPEN)
        user = getattr(request, "user", None)
        # A coach sees their own trajectories first ("Mijn trajecten"), with one switch to the entity's.
        self.is_coach = getattr(user, "rol", None) == Gebruiker.Rol.TERUGKEERCOACH
        if self.is_coach:
            data.setdefault("wie", MIJN)
        else:
            data["wie"] = ALLE
        self.today = today
        self.user = user
        super().__init__(data, *args, request=request, **kwargs)
        if not self.is_coach:
            del self.form.fields["wie"]

    def filter_wie(self, queryset, name, value):
        if value == MIJN and self.is_coach:
            return queryset.filter(coach_id=self.user.pk)
        return queryset

    @property
    def only_mine(self) -> bool:
        return self.is_coach and self.form.cleaned_data.get("wie") == MIJN

    def zoek(self, queryset, name, value):
        return queryset.filter(zoek_q(value)) if value.strip() else queryset

    def filter_status(self, queryset, name, value):
        if value == OPEN or not value:
            return queryset.exclude(status=Traject.Status.AFGESLOTEN)
        return queryset.filter(status=value)

    def filter_overschrijdend(self, queryset, name, value):
        """The status of the trajectory's request to AgO; "geweigerd" only when no other request runs."""
        has = Exists(Aanmelding.objects.filter(traject=OuterRef("pk"), status=value))
        if value == Aanmelding.Status.GEWEIGERD:
            running = Aanmelding.objects.filter(traject=OuterRef("pk")).exclude(status=value)
            return queryset.filter(has & ~Exists(running))
        return queryset.filter(has)

    def filter_te_laat(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(eerstvolgende_termijn__lt=self.today) | Q(formeel_verplicht_vanaf__lte=self.today)
        )


def zoek_q(term: str) -> Q:
    """Every word must occur in the staff member's first name, surname or personnel number (any case).

    Read from the trajectory's ``zoeknaam`` (those three, separated by spaces, kept by the database: a word
    holds no space, so it occurs in the whole exactly when it occurs in one of them). Among open trajectories
    a trigram index answers it (Traject.Meta, traject_open_zoeknaam_trgm): the search costs what the open
    work of that name costs, not a probe of every staff member of that name VO-wide."""
    q = Q()
    for word in term.split():
        q &= Q(zoeknaam__icontains=word)
    return q
