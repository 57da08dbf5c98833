from django.contrib import admin

from .models import Rapport


@admin.register(Rapport)
class RapportAdmin(admin.ModelAdmin):
    list_display = ["soort", "jaar", "entiteit", "status", "aangevraagd_op", "klaar_op"]
    list_filter = ["soort", "jaar", "status"]
    search_fields = ["entiteit__naam", "entiteit__code"]
    list_select_related = ["entiteit"]
    readonly_fields = ["aangevraagd_op", "klaar_op", "fout"]
