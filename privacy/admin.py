from django.contrib import admin

from operations.admin import ReadOnlyAdmin

from .models import Anonymisation, ReadLogEntry


@admin.register(ReadLogEntry)
class ReadLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["tijdstip", "gebruiker", "soort", "traject_id", "personeelslid_id", "view"]
    list_filter = ["soort"]
    search_fields = ["=traject_id", "=personeelslid_id", "gebruiker__username", "=request_id"]
    list_select_related = ["gebruiker"]
    date_hierarchy = "tijdstip"


@admin.register(Anonymisation)
class AnonymisationAdmin(ReadOnlyAdmin):
    list_display = ["personeelslid_id", "uitgevoerd_op", "laatst_afgesloten_op", "trajecten"]
    date_hierarchy = "uitgevoerd_op"
