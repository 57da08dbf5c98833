from django.contrib import admin

from .models import Rapport


@admin.register(Rapport)
class RapportAdmin(admin.ModelAdmin):
    """Whether the yearly reports were made (status, errors); the files themselves are not offered here:
    reports are AgO's and the entities' (reintegratie.access)."""

    list_display = ["soort", "jaar", "entiteit", "status", "aangevraagd_op", "klaar_op"]
    list_filter = ["soort", "jaar", "status"]
    search_fields = ["entiteit__naam", "entiteit__code"]
    list_select_related = ["entiteit"]
    fields = ["soort", "jaar", "entiteit", "status", "aangevraagd_op", "klaar_op", "fout"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
