from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# An entity code names files (report downloads, exports, sheet names) and shows in headers and URLs: only
# letters, digits and hyphens. \A and \Z mean the same in Python and in PostgreSQL's regular expressions
# (and, unlike $, do not let a trailing newline through).
CODE_PATTERN = r"\A[A-Za-z0-9-]+\Z"
code_validator = RegexValidator(
    CODE_PATTERN, _("Een code bestaat enkel uit letters (zonder accenten), cijfers en koppeltekens.")
)


class Entiteit(models.Model):
    """A departement, IVA, EVA, strategische adviesraad or other institution under the VPS."""

    class Soort(models.TextChoices):
        DEPARTEMENT = "departement", _("Departement")
        IVA = "iva", _("Intern verzelfstandigd agentschap (IVA)")
        EVA = "eva", _("Extern verzelfstandigd agentschap (EVA) van publiekrecht")
        ADVIESRAAD = "adviesraad", _("Strategische adviesraad")
        ANDERE = "andere", _("Andere instelling onder het VPS")

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[code_validator],
        help_text=_("Letters, cijfers en koppeltekens, bv. OMG of AWV-OW."),
    )
    naam = models.CharField(_("naam"), max_length=200, unique=True)
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    beleidsdomein = models.CharField(_("beleidsdomein"), max_length=100)
    actief = models.BooleanField(_("actief"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entiteit")
        verbose_name_plural = _("entiteiten")
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="entiteit_code_niet_leeg"),
            models.CheckConstraint(condition=Q(code__regex=CODE_PATTERN), name="entiteit_code_tekens"),
        ]

    LABEL_FIELDS = ("naam", "code")  # what __str__ prints (a select's options read only these)

    def __str__(self):
        return self.label_of(self.naam, self.code)

    @staticmethod
    def label_of(naam: str, code: str) -> str:
        return f"{naam} ({code})"


class Gebruiker(AbstractUser):
    """A user of the tool, with one role; coaches and HR belong to an entity."""

    class Rol(models.TextChoices):
        TERUGKEERCOACH = "terugkeercoach", _("Terugkeercoach")
        HR = "hr", _("HR-businesspartner")
        AGO = "ago", _("AgO – team Re-integratie en Personeelsmobiliteit")
        BEHEERDER = "beheerder", _("Beheerder")

    # Empty: no role yet; such a user sees nothing but a message to contact the operator (reintegratie.access).
    rol = models.CharField(_("rol"), max_length=20, choices=Rol.choices, blank=True, default="")
    entiteit = models.ForeignKey(
        Entiteit,
        verbose_name=_("entiteit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gebruikers",
    )
    # Set for accounts made by single sign-on: the identity platform's stable subject identifier. Such an
    # account has no password; local accounts (development, the operator) leave it empty.
    oidc_sub = models.CharField(
        _("identiteit bij het aanmeldplatform"),
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(rol__in=["terugkeercoach", "hr"]) | Q(entiteit__isnull=False),
                name="coach_en_hr_hebben_entiteit",
            )
        ]

    LABEL_FIELDS = ("first_name", "last_name", "username")  # what __str__ prints

    def __str__(self):
        return self.label_of(self.first_name, self.last_name, self.username)

    @staticmethod
    def label_of(first_name: str, last_name: str, username: str) -> str:
        """As ``get_full_name() or username``."""
        return f"{first_name} {last_name}".strip() or username

    @property
    def is_ago(self) -> bool:
        """AgO's team: every entity. An operator (beheerder) or a superuser is not AgO."""
        return self.rol == self.Rol.AGO
