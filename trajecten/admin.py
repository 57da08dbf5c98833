"""The operator's view of the dossiers: read-only.

Every change to a dossier goes through trajecten.services (with its checks, history reason and deadline
refresh), in the coach workspace; the admin shows dossiers and their history but cannot change them.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin as HistoryAdmin

from . import models as m


class ReadOnly:
    """No add, change or delete in the admin: dossier changes go through the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0


class ReadOnlyHistoryAdmin(ReadOnly, HistoryAdmin):
    """Lists, search, filters and the history of each record; no changes (and so no "revert")."""


class GesprekInline(ReadOnlyInline):
    model = m.Gesprek
    extra = 0


class InschattingInline(ReadOnlyInline):
    model = m.Inschatting
    extra = 0


class StappenplanInline(ReadOnlyInline):
    model = m.Stappenplan
    extra = 0
    raw_id_fields = ["inschatting"]


class BetrokkenheidInline(ReadOnlyInline):
    model = m.Betrokkenheid
    extra = 0


class VerlengingInline(ReadOnlyInline):
    model = m.Verlenging
    extra = 0


class HervalInline(ReadOnlyInline):
    model = m.Herval
    extra = 0


class EvaluatieInline(ReadOnlyInline):
    model = m.Evaluatie
    extra = 0


class FormeelVerloopInline(ReadOnly, admin.StackedInline):
    model = m.FormeelVerloop
    extra = 0


@admin.register(m.Personeelslid)
class PersoneelslidAdmin(ReadOnlyHistoryAdmin):
    list_display = ["achternaam", "voornaam", "personeelsnummer", "statuut", "entiteit", "functie"]
    list_filter = ["statuut", "entiteit"]
    search_fields = ["achternaam", "voornaam", "personeelsnummer"]
    list_select_related = ["entiteit"]


@admin.register(m.Traject)
class TrajectAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "id",
        "personeelslid",
        "soort",
        "status",
        "entiteit",
        "doel_entiteit",
        "d0",
        "coach",
        "uitkomst",
    ]
    list_filter = ["soort", "status", "uitkomst", "entiteit", "doel_entiteit"]
    search_fields = [
        "personeelslid__achternaam",
        "personeelslid__voornaam",
        "personeelslid__personeelsnummer",
    ]
    date_hierarchy = "d0"
    list_select_related = ["personeelslid", "entiteit", "doel_entiteit", "coach"]
    raw_id_fields = ["personeelslid", "voortgezet_van", "coach"]
    inlines = [
        FormeelVerloopInline,
        GesprekInline,
        InschattingInline,
        StappenplanInline,
        BetrokkenheidInline,
        VerlengingInline,
        HervalInline,
        EvaluatieInline,
    ]


class OnderdeelAdmin(ReadOnlyHistoryAdmin):
    list_select_related = ["traject__personeelslid"]
    raw_id_fields = ["traject"]
    search_fields = ["traject__personeelslid__achternaam", "traject__personeelslid__personeelsnummer"]


@admin.register(m.Gesprek)
class GesprekAdmin(OnderdeelAdmin):
    list_display = ["traject", "datum", "soort", "vorm", "gevoerd_door"]
    list_filter = ["soort", "vorm", "gevoerd_door"]
    date_hierarchy = "datum"


@admin.register(m.Inschatting)
class InschattingAdmin(OnderdeelAdmin):
    list_display = ["traject", "datum", "uitkomst", "volgend_gesprek_op"]
    list_filter = ["uitkomst"]


class MaatregelInline(ReadOnlyInline):
    model = m.Maatregel
    extra = 0


@admin.register(m.Stappenplan)
class StappenplanAdmin(OnderdeelAdmin):
    list_display = ["traject", "datum", "beoogde_hervatting_op"]
    raw_id_fields = ["traject", "inschatting"]
    inlines = [MaatregelInline]


@admin.register(m.Maatregel)
class MaatregelAdmin(ReadOnlyHistoryAdmin):
    list_display = ["stappenplan", "soort", "vanaf", "tot"]
    list_filter = ["soort"]
    raw_id_fields = ["stappenplan"]
    search_fields = ["stappenplan__traject__personeelslid__achternaam"]


@admin.register(m.Betrokkenheid)
class BetrokkenheidAdmin(OnderdeelAdmin):
    list_display = ["traject", "actor", "vanaf"]
    list_filter = ["actor"]


@admin.register(m.Verlenging)
class VerlengingAdmin(OnderdeelAdmin):
    list_display = ["traject", "toegekend_op", "nieuwe_datum"]


@admin.register(m.Herval)
class HervalAdmin(OnderdeelAdmin):
    list_display = ["traject", "hervat_op", "datum"]


@admin.register(m.Evaluatie)
class EvaluatieAdmin(OnderdeelAdmin):
    list_display = ["traject", "datum", "gevoerd_door", "bijgestuurd"]
    list_filter = ["bijgestuurd", "gevoerd_door"]


@admin.register(m.FormeelVerloop)
class FormeelVerloopAdmin(OnderdeelAdmin):
    list_display = ["traject", "aanvrager", "aanvraag_ontvangen_op", "beoordeling", "plan_soort", "antwoord"]
    list_filter = ["aanvrager", "beoordeling", "plan_soort", "antwoord"]


@admin.register(m.Signaal)
class SignaalAdmin(admin.ModelAdmin):
    list_display = ["traject", "soort", "mijlpaal", "vervaldatum", "opgemerkt_op", "opgelost_op"]
    list_filter = ["soort", "mijlpaal", "opgelost_op"]
    raw_id_fields = ["traject"]
    list_select_related = ["traject__personeelslid"]


@admin.register(m.Notificatie)
class NotificatieAdmin(admin.ModelAdmin):
    list_display = ["onderwerp", "soort", "ontvanger", "sleutel", "verzonden_op", "pogingen"]
    list_filter = ["soort", ("verzonden_op", admin.EmptyFieldListFilter)]
    search_fields = ["onderwerp", "ontvanger__username", "sleutel"]
    list_select_related = ["ontvanger"]
    readonly_fields = ["aangemaakt_op", "verzonden_op", "pogingen", "laatste_fout"]


@admin.register(m.FormSubmission)
class FormSubmissionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["token", "gebruiker", "traject", "aangemaakt_op"]
    raw_id_fields = ["traject"]
    list_select_related = ["gebruiker"]
