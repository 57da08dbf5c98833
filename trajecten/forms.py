"""Forms of the coach workspace: they only clean input (types, formats, choices, required fields).

Whether a value fits the dossier (dates in range and in order, actions allowed now) is the services' job
(trajecten.services, trajecten.consistency); their refusals come back onto the fields of these forms.
"""

from __future__ import annotations

import uuid

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from entiteiten.models import Gebruiker
from reintegratie import access

from . import actions as a
from . import models as m
from .dates import fmt

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class DatumInput(forms.DateInput):
    def __init__(self, attrs=None):
        base = {"placeholder": _("dd/mm/jjjj"), "inputmode": "numeric", "autocomplete": "off", "size": 10}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


class DatumField(forms.DateField):
    """A date as people type it: 05/03/2026, 5/3/2026, 05-03-2026 or 05.03.2026."""

    widget = DatumInput
    input_formats = DATE_FORMATS
    default_error_messages = {"invalid": _("Gebruik dd/mm/jjjj, bv. 05/03/2026.")}


def datum_callback(field, **kwargs):
    """ModelForm fields: dates as dd/mm/jjjj (several separators accepted); short text areas."""
    if isinstance(field, m.models.DateField):
        return field.formfield(form_class=DatumField, **kwargs)
    formfield = field.formfield(**kwargs)
    if isinstance(field, m.models.TextField) and formfield is not None:
        formfield.widget.attrs.setdefault("rows", 3)
    return formfield


class TokenMixin(forms.Form):
    """A random token per rendered form: the service saves a submitted form once (double click, reload)."""

    formulier = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["formulier"].initial = uuid.uuid4()

    @property
    def token(self):
        return self.cleaned_data.get("formulier")


class InputForm(TokenMixin, forms.ModelForm):
    """A ModelForm that only cleans input: no model validation, no saving (the services do both)."""

    def _post_clean(self):
        pass

    def save(self, commit=True):  # pragma: no cover - a programming error, not a user path
        raise NotImplementedError("Dossier changes go through trajecten.services.")

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


REASON_LABEL = _("Reden van de wijziging")
REASON_HELP = _("Kort, zonder medische gegevens. De reden komt in de historiek van het dossier.")


def reason_field(label=REASON_LABEL, required=True):
    return forms.CharField(
        label=label,
        max_length=500,
        required=required,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
        error_messages={"required": _("Geef een korte reden op.")},
    )


class ReasonMixin(forms.Form):
    wijzigingsreden = reason_field()

    def clean_wijzigingsreden(self):
        value = self.cleaned_data["wijzigingsreden"].strip()
        if self.fields["wijzigingsreden"].required and not value:
            raise forms.ValidationError(_("Geef een korte reden op."))
        return value


class TrajectForm(TokenMixin, forms.ModelForm):
    """Register a new trajectory, with the staff member's minimal identification."""

    personeelsnummer = forms.CharField(label=_("Personeelsnummer"), max_length=20)
    voornaam = forms.CharField(label=_("Voornaam"), max_length=100)
    achternaam = forms.CharField(label=_("Achternaam"), max_length=100)
    statuut = forms.ChoiceField(label=_("Statuut"), choices=m.Personeelslid.Statuut.choices)
    functie = forms.CharField(label=_("Functie"), max_length=200, required=False)

    class Meta:
        model = m.Traject
        fields = ["soort", "entiteit", "d0", "coach", "leidinggevende", "gezondheidstoezicht"]
        formfield_callback = datum_callback

    def __init__(self, *args, user: Gebruiker, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.order_fields(
            ["personeelsnummer", "voornaam", "achternaam", "statuut", "functie", *self._meta.fields]
        )
        self.fields["d0"].help_text = _(
            "Eerste dag van de arbeidsongeschiktheid (dd/mm/jjjj). Leeg bij een preventief traject."
        )
        entiteiten = access.registratie_entiteiten(user)
        self.fields["entiteit"].queryset = entiteiten
        if not access.ziet_alle_entiteiten(user):
            self.fields["entiteit"].initial = user.entiteit_id
            self.fields["entiteit"].disabled = True
        self.fields["coach"].queryset = access.coaches(user).select_related("entiteit")
        self.fields["coach"].required = False
        self.fields["coach"].help_text = _(
            "Zonder terugkeercoach volgt HR het traject op (HR is dan de casemanager)."
        )
        if access.rol(user) == Gebruiker.Rol.TERUGKEERCOACH:
            self.fields["coach"].initial = user.pk

    def _post_clean(self):
        pass

    def clean_personeelsnummer(self):
        return self.cleaned_data["personeelsnummer"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        coach, entiteit = cleaned.get("coach"), cleaned.get("entiteit")
        if coach and entiteit and coach.entiteit_id != entiteit.pk:
            self.add_error("coach", _("Kies een terugkeercoach van de entiteit van het traject."))
        return cleaned

    def values(self) -> dict:
        return dict(self.cleaned_data)


class GesprekForm(InputForm):
    class Meta:
        model = m.Gesprek
        fields = ["datum", "soort", "vorm", "gevoerd_door", "uitkomst"]
        formfield_callback = datum_callback


class InschattingForm(InputForm):
    class Meta:
        model = m.Inschatting
        fields = ["datum", "uitkomst", "volgend_gesprek_op", "specifieke_begeleiding", "toelichting"]
        formfield_callback = datum_callback
        help_texts = {"volgend_gesprek_op": _("Verplicht als stappen naar werk nog niet mogelijk zijn.")}


class StappenplanForm(InputForm):
    class Meta:
        model = m.Stappenplan
        fields = ["inschatting", "datum", "beoogde_hervatting_op", "afspraken"]
        formfield_callback = datum_callback

    def __init__(self, *args, traject: m.Traject, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["inschatting"]
        field.queryset = m.Inschatting.objects.filter(traject=traject, uitkomst="stappen_mogelijk")
        field.label_from_instance = lambda i: _("Inschatting van %(d)s") % {"d": fmt(i.datum)}
        field.empty_label = None


class MaatregelForm(InputForm):
    class Meta:
        model = m.Maatregel
        fields = ["soort", "omschrijving", "vanaf", "tot"]
        formfield_callback = datum_callback

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["formulier"]  # the stappenplan form carries the token

    def clean(self):
        cleaned = super().clean()
        vanaf, tot = cleaned.get("vanaf"), cleaned.get("tot")
        if vanaf and tot and tot < vanaf and "tot" not in self.errors:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return cleaned


def maatregel_formset(correcting: bool):
    """Measures of a stappenplan: at most MAX_MAATREGELEN; when correcting, existing ones can be removed."""
    from .consistency import MAX_MAATREGELEN

    return inlineformset_factory(
        m.Stappenplan,
        m.Maatregel,
        form=MaatregelForm,
        extra=2 if correcting else 3,
        can_delete=correcting,
        max_num=MAX_MAATREGELEN,
        validate_max=True,
    )


def maatregel_rows(formset) -> list[dict]:
    """The filled-in rows of a valid measures formset, in order (with ``id`` and ``DELETE`` when correcting)."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or (not data.get("soort") and not data.get("id")):
            continue
        rows.append(data)
    return rows


class BetrokkenheidForm(InputForm):
    class Meta:
        model = m.Betrokkenheid
        fields = ["actor", "vanaf", "toestemming_op", "toelichting"]
        formfield_callback = datum_callback
        help_texts = {
            "toestemming_op": _(
                "Een welzijnsactor of HR wordt betrokken met toestemming van het personeelslid. Toestemming voor "
                "HR geeft HR van de entiteit inzage in dit dossier, tot ze ingetrokken wordt."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["toestemming_op"].required = True


class BetrokkenheidCorrectieForm(BetrokkenheidForm):
    """Correcting an involvement: also withdrawing the staff member's consent."""

    class Meta(BetrokkenheidForm.Meta):
        fields = ["actor", "vanaf", "toestemming_op", "toestemming_ingetrokken_op", "toelichting"]
        help_texts = {
            **BetrokkenheidForm.Meta.help_texts,
            "toestemming_ingetrokken_op": _("Vul in wanneer het personeelslid de toestemming introk."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Involvements registered before consent was recorded may stay without a date.
        self.fields["toestemming_op"].required = bool(self.instance.toestemming_op)


class VerlengingForm(InputForm):
    class Meta:
        model = m.Verlenging
        fields = ["toegekend_op", "nieuwe_datum", "reden"]
        formfield_callback = datum_callback
        help_texts = {
            "reden": _(
                "Bv. het advies van meerdere welzijnsactoren of het SMT is nodig en het proces vordert. "
                "Geen medische gegevens."
            )
        }

    def clean_reden(self):
        reden = self.cleaned_data["reden"].strip()
        if not reden:
            raise forms.ValidationError(_("Een verlenging vraagt een reden."))
        return reden


class WerkhervattingForm(InputForm):
    class Meta:
        model = m.Traject
        fields = ["werkhervatting_op", "werkhervatting_vorm"]
        formfield_callback = datum_callback

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["werkhervatting_op"].required = True
        self.fields["werkhervatting_vorm"].required = True


class HervalForm(InputForm):
    class Meta:
        model = m.Herval
        fields = ["datum", "toelichting"]
        formfield_callback = datum_callback
        labels = {"datum": _("Opnieuw arbeidsongeschikt op")}


class HervalCorrectieForm(InputForm):
    """Correcting a relapse: also the date and form of the return it ended."""

    class Meta:
        model = m.Herval
        fields = ["hervat_op", "hervatting_vorm", "datum", "toelichting"]
        formfield_callback = datum_callback
        labels = {"datum": _("Opnieuw arbeidsongeschikt op")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hervatting_vorm"].required = True


class OnderzoekForm(InputForm):
    """That the arbeidsarts examined the staff member, and when: never what was found."""

    class Meta:
        model = m.Onderzoek
        fields = ["soort", "datum"]
        formfield_callback = datum_callback


class EvaluatieForm(InputForm):
    class Meta:
        model = m.Evaluatie
        fields = ["datum", "gevoerd_door", "bijgestuurd", "verslag"]
        formfield_callback = datum_callback


class AfsluitenForm(InputForm):
    """Close with an outcome that fits the kind; the view asks a confirmation before the service closes."""

    bevestigd = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = m.Traject
        fields = ["afgesloten_op", "uitkomst", "uitkomst_reden"]
        formfield_callback = datum_callback

    def __init__(self, *args, traject: m.Traject, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["afgesloten_op"].required = True
        labels = dict(m.Traject.Uitkomst.choices)
        field = self.fields["uitkomst"]
        field.required = True
        field.choices = [("", _("— kies een uitkomst —"))] + [
            (k, labels[k]) for k in a.OUTCOMES[traject.soort]
        ]
        field.error_messages["required"] = _("Een traject afsluiten vraagt een uitkomst.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("uitkomst") == "geen_terugkeer" and not cleaned.get("uitkomst_reden", "").strip():
            self.add_error("uitkomst_reden", _("Geef de reden waarom er geen terugkeer is."))
        return cleaned


class OmzettenForm(InputForm):
    """An informal trajectory continues as a formal one (the informal one closes, linked to it)."""

    class Meta:
        model = m.FormeelVerloop
        fields = ["aanvrager", "aanvraag_ontvangen_op"]
        formfield_callback = datum_callback


class OmzettenInformeelForm(InputForm):
    """A preventive trajectory continues as an informal one: the staff member dropped out after all."""

    class Meta:
        model = m.Traject
        fields = ["d0"]
        formfield_callback = datum_callback

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["d0"].required = True
        self.fields["d0"].help_text = _("De eerste dag van de arbeidsongeschiktheid (dd/mm/jjjj).")


class FormeelVerloopForm(InputForm):
    class Meta:
        model = m.FormeelVerloop
        fields = [
            "aanvrager",
            "aanvraag_ontvangen_op",
            "beoordeling_op",
            "beoordeling_ontvangen_op",
            "beoordeling",
            "plan_op",
            "plan_soort",
            "plan_ontvangen_op",
            "antwoord_op",
            "antwoord",
        ]
        formfield_callback = datum_callback

    wijzigingsreden = reason_field(
        label=_("Reden van de wijziging (als u een stap wijzigt die al geregistreerd was)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["wijzigingsreden"]


class GegevensForm(ReasonMixin, InputForm):
    """The dossier's core data and the staff member's identification (not the personnel number)."""

    voornaam = forms.CharField(label=_("Voornaam"), max_length=100)
    achternaam = forms.CharField(label=_("Achternaam"), max_length=100)
    statuut = forms.ChoiceField(label=_("Statuut"), choices=m.Personeelslid.Statuut.choices)
    functie = forms.CharField(label=_("Functie"), max_length=200, required=False)

    class Meta:
        model = m.Traject
        fields = ["d0", "definitieve_ongeschiktheid_op", "coach", "leidinggevende", "gezondheidstoezicht"]
        formfield_callback = datum_callback

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        t = self.instance
        lid = t.personeelslid
        for name in ("voornaam", "achternaam", "statuut", "functie"):
            self.fields[name].initial = getattr(lid, name)
        self.fields["coach"].queryset = Gebruiker.objects.filter(
            rol=Gebruiker.Rol.TERUGKEERCOACH, entiteit_id=t.entiteit_id, is_active=True
        ) | Gebruiker.objects.filter(pk=t.coach_id)
        self.fields["coach"].required = False
        if t.soort == m.Traject.Soort.PREVENTIEF:
            del self.fields["d0"]
            del self.fields["definitieve_ongeschiktheid_op"]
        else:
            self.fields["d0"].required = True
        self.order_fields(["voornaam", "achternaam", "statuut", "functie"])

    def values(self) -> dict:
        names = [
            n
            for n in (*self._meta.fields, "voornaam", "achternaam", "statuut", "functie")
            if n in self.fields
        ]
        return {n: self.cleaned_data[n] for n in names}


class AanmeldenForm(TokenMixin):
    motivatie = forms.CharField(
        label=_("Motivatie"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Waarom lukt re-integratie in de eigen entiteit niet, en wat zoekt u in een andere entiteit? "
            "Geen medische gegevens."
        ),
    )


class ReasonForm(TokenMixin, ReasonMixin):
    """Remove a part or reopen a dossier: a short reason, kept in the history."""


def with_reason(form_class):
    """The correction form of a part: the registration form plus the reason of the change."""
    return type(form_class)(
        f"{form_class.__name__}Correctie", (ReasonMixin, form_class), {"__module__": __name__}
    )
