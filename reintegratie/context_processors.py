"""What the page layout needs to know about the user's access (menus, columns), from reintegratie.access."""

from . import access


def toegang(request):
    user = getattr(request, "user", None)
    return {
        "toegang": {
            "rol": access.rol(user),
            "workspace": access.heeft_toegang(user),
            "registreren": access.mag_registreren(user),
            "rapportering": access.mag_rapportering(user),
            "alle_entiteiten": access.ziet_alle_entiteiten(user),
            "intake": access.mag_intake(user),
            "afwezigheden": access.mag_afwezigheden_importeren(user),
            "herberekenen": access.mag_herberekenen(user),
        }
    }
