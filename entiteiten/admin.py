from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Entiteit, Gebruiker


@admin.register(Entiteit)
class EntiteitAdmin(SimpleHistoryAdmin):
    list_display = ["naam", "code", "soort", "beleidsdomein", "actief"]
    list_filter = ["soort", "beleidsdomein", "actief"]
    search_fields = ["naam", "code", "beleidsdomein"]


@admin.register(Gebruiker)
class GebruikerAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "first_name", "last_name", "email", "rol", "entiteit", "is_active"]
    list_filter = ["rol", "entiteit", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email"]
    list_select_related = ["entiteit"]
    readonly_fields = ["oidc_sub"]
    fieldsets = UserAdmin.fieldsets + (
        (_("Rol in de tool"), {"fields": ("rol", "entiteit")}),
        (_("Aanmelden via het aanmeldplatform"), {"fields": ("oidc_sub",)}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + ((_("Rol in de tool"), {"fields": ("rol", "entiteit")}),)
