"""The operator's admin holds no dossiers (README, "Who sees what"): a beheerder manages users and entities.

Dossiers are read and changed in the workspace, by coaches, HR (as case manager or with consent) and AgO,
through trajecten.services. What an operator needs to run the tool is here without any dossier content:
whether the deadline job's e-mails were sent (recipient, subject, attempts, last error).
"""

from django.contrib import admin

from . import models as m


@admin.register(m.Notificatie)
class NotificatieAdmin(admin.ModelAdmin):
    list_display = ["onderwerp", "soort", "ontvanger", "aangemaakt_op", "verzonden_op", "pogingen"]
    list_filter = ["soort", ("verzonden_op", admin.EmptyFieldListFilter)]
    search_fields = ["onderwerp", "ontvanger__username"]
    list_select_related = ["ontvanger"]
    fields = ["soort", "ontvanger", "onderwerp", "aangemaakt_op", "verzonden_op", "pogingen", "laatste_fout"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
