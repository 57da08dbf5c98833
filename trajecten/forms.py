"""Forms of the coach workspace. Every refusal says in Dutch what is wrong and changes nothing."""

from datetime import date

from django import forms
from django.forms import inlineformset_factory
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from entiteiten.models import Entiteit, Gebruiker

from . import deadlines as dl
from . import models as m
from .evaluation import evaluate_traject


def fmt(d: date) -> str:
    return date_format(d, "d/m/Y")


class DatumInput(forms.DateInput):
    def __init__(self, attrs=None):
        base = {"placeholder": _("dd/mm/jjjj"), "inputmode": "numeric", "autocomplete": "off", "size": 10}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


def datum_callback(field, **kwargs):
    """ModelForm fields: dates as dd/mm/jjjj."""
    formfield = field.formfield(**kwargs)
    if isinstance(formfield, forms.DateField):
        formfield.widget = DatumInput()
        formfield.input_formats = ["%d/%m/%Y", "%Y-%m-%d"]
    if isinstance(field, m.models.TextField) and formfield is not None:
        formfield.widget.attrs.setdefault("rows", 3)
    return formfield


class TrajectFormMixin:
    """A form about one trajectory; ``event_dates`` must lie between D0 and today."""

    event_dates: tuple[str, ...] = ("datum",)

    def __init__(self, *args, traject: m.Traject, today: date, **kwargs):
        self.traject = traject
        self.today = today
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.traject.status == m.Traject.Status.AFGESLOTEN:
            raise forms.ValidationError(
                _("Dit traject is afgesloten: er kan niets meer aan worden toegevoegd.")
            )
        for name in self.event_dates:
            value = cleaned.get(name)
            if value is None:
                continue
            if value > self.today:
                self.add_error(
                    name, _("Deze datum ligt in de toekomst; registreer alleen wat al gebeurd is.")
                )
            elif self.traject.d0 and value < self.traject.d0:
                self.add_error(
                    name,
                    _("Deze datum ligt vóór de start van de arbeidsongeschiktheid (%(d0)s).")
                    % {"d0": fmt(self.traject.d0)},
                )
        return cleaned


class OnderdeelForm(TrajectFormMixin, forms.ModelForm):
    def save(self, commit=True):
        self.instance.traject = self.traject
        return super().save(commit)


class TrajectForm(forms.ModelForm):
    """Register a new trajectory, with the staff member's minimal identification."""

    personeelsnummer = forms.CharField(label=_("Personeelsnummer"), max_length=20)
    voornaam = forms.CharField(label=_("Voornaam"), max_length=100)
    achternaam = forms.CharField(label=_("Achternaam"), max_length=100)
    statuut = forms.ChoiceField(label=_("Statuut"), choices=m.Personeelslid.Statuut.choices)
    functie = forms.CharField(label=_("Functie"), max_length=200, required=False)

    class Meta:
        model = m.Traject
        fields = ["soort", "entiteit", "doel_entiteit", "d0", "coach", "leidinggevende"]
        formfield_callback = datum_callback

    def __init__(self, *args, user: Gebruiker, today: date, **kwargs):
        self.user = user
        self.today = today
        super().__init__(*args, **kwargs)
        self.fields["d0"].help_text = _(
            "Eerste dag van de arbeidsongeschiktheid (dd/mm/jjjj). Leeg bij een preventief traject."
        )
        self.fields["doel_entiteit"].queryset = Entiteit.objects.filter(actief=True)
        self.fields["doel_entiteit"].required = False
        coaches = Gebruiker.objects.filter(rol=Gebruiker.Rol.TERUGKEERCOACH, is_active=True).select_related(
            "entiteit"
        )
        if user.is_ago:
            self.fields["entiteit"].queryset = Entiteit.objects.filter(actief=True)
        else:
            self.fields["entiteit"].queryset = Entiteit.objects.filter(pk=user.entiteit_id)
            self.fields["entiteit"].initial = user.entiteit_id
            self.fields["entiteit"].disabled = True
            coaches = coaches.filter(entiteit_id=user.entiteit_id)
            if user.rol == Gebruiker.Rol.TERUGKEERCOACH:
                self.fields["coach"].initial = user.pk
        self.fields["coach"].queryset = coaches
        self.fields["coach"].required = False

    def clean_personeelsnummer(self):
        return self.cleaned_data["personeelsnummer"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        soort, d0 = cleaned.get("soort"), cleaned.get("d0")
        entiteit, doel = cleaned.get("entiteit"), cleaned.get("doel_entiteit")
        if soort == m.Traject.Soort.PREVENTIEF and d0:
            self.add_error("d0", _("Een preventief traject heeft geen startdatum van arbeidsongeschiktheid."))
        if soort and soort != m.Traject.Soort.PREVENTIEF and not d0:
            self.add_error("d0", _("Geef de eerste dag van de arbeidsongeschiktheid (D0) in."))
        if d0 and d0 > self.today:
            self.add_error("d0", _("De startdatum van de arbeidsongeschiktheid ligt in de toekomst."))
        if entiteit and doel and entiteit == doel:
            self.add_error("doel_entiteit", _("De doelentiteit moet een andere entiteit zijn."))
        coach = cleaned.get("coach")
        if coach and entiteit and coach.entiteit_id != entiteit.pk:
            self.add_error("coach", _("Kies een terugkeercoach van de entiteit van het traject."))
        nummer = cleaned.get("personeelsnummer")
        if nummer and entiteit:
            bestaand = m.Personeelslid.objects.filter(personeelsnummer=nummer).first()
            if bestaand and bestaand.entiteit_id != entiteit.pk:
                self.add_error(
                    "personeelsnummer",
                    _(
                        "Dit personeelsnummer is geregistreerd bij een andere entiteit. Neem contact op met AgO "
                        "voor een entiteitsoverschrijdend traject."
                    ),
                )
            elif bestaand and bestaand.trajecten.exclude(status=m.Traject.Status.AFGESLOTEN).exists():
                self.add_error("personeelsnummer", _("Voor dit personeelslid loopt al een open traject."))
        return cleaned

    def save(self, commit=True):
        c = self.cleaned_data
        lid, _created = m.Personeelslid.objects.update_or_create(
            personeelsnummer=c["personeelsnummer"],
            defaults={
                "voornaam": c["voornaam"],
                "achternaam": c["achternaam"],
                "statuut": c["statuut"],
                "functie": c["functie"],
                "entiteit": c["entiteit"],
            },
        )
        self.instance.personeelslid = lid
        return super().save(commit)


class GesprekForm(OnderdeelForm):
    class Meta:
        model = m.Gesprek
        fields = ["datum", "soort", "vorm", "gevoerd_door", "uitkomst"]
        formfield_callback = datum_callback


class InschattingForm(OnderdeelForm):
    class Meta:
        model = m.Inschatting
        fields = ["datum", "uitkomst", "volgend_gesprek_op", "specifieke_begeleiding", "toelichting"]
        formfield_callback = datum_callback
        help_texts = {"volgend_gesprek_op": _("Verplicht als stappen naar werk nog niet mogelijk zijn.")}

    def clean(self):
        cleaned = super().clean()
        uitkomst, datum, volgend = (
            cleaned.get("uitkomst"),
            cleaned.get("datum"),
            cleaned.get("volgend_gesprek_op"),
        )
        if uitkomst == dl.NOG_NIET_MOGELIJK:
            if not volgend:
                self.add_error(
                    "volgend_gesprek_op",
                    _("Plan in samenspraak met het personeelslid een volgend gesprek in."),
                )
            elif datum and volgend <= datum:
                self.add_error(
                    "volgend_gesprek_op", _("Het volgende gesprek moet na deze inschatting liggen.")
                )
        if uitkomst == dl.STAPPEN_MOGELIJK and volgend:
            self.add_error(
                "volgend_gesprek_op",
                _("Laat dit veld leeg: stappen zijn mogelijk, werk nu een stappenplan uit."),
            )
        return cleaned


class StappenplanForm(OnderdeelForm):
    class Meta:
        model = m.Stappenplan
        fields = ["inschatting", "datum", "beoogde_hervatting_op", "afspraken"]
        formfield_callback = datum_callback

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inschatting"].queryset = m.Inschatting.objects.filter(
            traject=self.traject, uitkomst=dl.STAPPEN_MOGELIJK
        )
        self.fields["inschatting"].label_from_instance = lambda i: (
            _("Inschatting van %(d)s") % {"d": fmt(i.datum)}
        )
        self.fields["inschatting"].empty_label = None

    def clean(self):
        cleaned = super().clean()
        if not self.fields["inschatting"].queryset.exists():
            raise forms.ValidationError(
                _("Registreer eerst een inschatting waaruit blijkt dat stappen naar werk mogelijk zijn.")
            )
        inschatting, datum = cleaned.get("inschatting"), cleaned.get("datum")
        if inschatting and datum and datum < inschatting.datum:
            self.add_error("datum", _("Het stappenplan kan niet vóór de inschatting liggen."))
        hervatting = cleaned.get("beoogde_hervatting_op")
        if hervatting and datum and hervatting < datum:
            self.add_error("beoogde_hervatting_op", _("De beoogde werkhervatting ligt vóór het stappenplan."))
        return cleaned


class MaatregelForm(forms.ModelForm):
    class Meta:
        model = m.Maatregel
        fields = ["soort", "omschrijving", "vanaf", "tot"]
        formfield_callback = datum_callback

    def clean(self):
        cleaned = super().clean()
        vanaf, tot = cleaned.get("vanaf"), cleaned.get("tot")
        if vanaf and tot and tot < vanaf:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return cleaned


MaatregelFormSet = inlineformset_factory(
    m.Stappenplan, m.Maatregel, form=MaatregelForm, extra=3, can_delete=False, max_num=20
)


class BetrokkenheidForm(OnderdeelForm):
    event_dates = ("vanaf",)

    class Meta:
        model = m.Betrokkenheid
        fields = ["actor", "vanaf", "toelichting"]
        formfield_callback = datum_callback

    def clean(self):
        cleaned = super().clean()
        actor, vanaf = cleaned.get("actor"), cleaned.get("vanaf")
        if (
            actor
            and vanaf
            and m.Betrokkenheid.objects.filter(traject=self.traject, actor=actor, vanaf=vanaf).exists()
        ):
            raise forms.ValidationError(_("Deze welzijnsactor is al geregistreerd vanaf deze datum."))
        return cleaned


class VerlengingForm(OnderdeelForm):
    event_dates = ("toegekend_op",)

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

    def clean(self):
        cleaned = super().clean()
        ev = evaluate_traject(self.traject, self.today)
        termijn = next((x for x in ev.milestones if x.code == dl.STAPPENPLAN), None)
        if termijn is None:
            raise forms.ValidationError(
                _(
                    "Een verlenging geldt voor de termijn van het stappenplan: registreer eerst een inschatting "
                    "waaruit blijkt dat stappen mogelijk zijn."
                )
            )
        if termijn.state == dl.MET:
            raise forms.ValidationError(
                _("Er is al een stappenplan: de termijn hoeft niet verlengd te worden.")
            )
        toegekend, nieuw = cleaned.get("toegekend_op"), cleaned.get("nieuwe_datum")
        if toegekend and toegekend > termijn.due:
            self.add_error(
                "toegekend_op",
                _("De termijn voor het stappenplan is verstreken op %(d)s; een verlenging kan niet meer.")
                % {"d": fmt(termijn.due)},
            )
        if nieuw and nieuw <= termijn.due:
            self.add_error(
                "nieuwe_datum",
                _("De nieuwe datum moet na de huidige uiterste datum (%(d)s) liggen.")
                % {"d": fmt(termijn.due)},
            )
        return cleaned


class WerkhervattingForm(TrajectFormMixin, forms.ModelForm):
    event_dates = ("werkhervatting_op",)

    class Meta:
        model = m.Traject
        fields = ["werkhervatting_op", "werkhervatting_vorm"]
        formfield_callback = datum_callback

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["werkhervatting_op"].required = True
        self.fields["werkhervatting_vorm"].required = True

    def clean(self):
        cleaned = super().clean()
        if self.traject.soort == m.Traject.Soort.PREVENTIEF:
            raise forms.ValidationError(
                _("Een preventief traject heeft geen werkhervatting: het personeelslid werkt.")
            )
        laatste_herval = self.traject.herval_set.order_by("-datum").first()
        datum = cleaned.get("werkhervatting_op")
        if laatste_herval and datum and datum <= laatste_herval.datum:
            self.add_error(
                "werkhervatting_op",
                _("De werkhervatting moet na het laatste herval (%(d)s) liggen.")
                % {"d": fmt(laatste_herval.datum)},
            )
        return cleaned

    def save(self, commit=True):
        self.instance.status = m.Traject.Status.OPVOLGING
        return super().save(commit)


class HervalForm(OnderdeelForm):
    class Meta:
        model = m.Herval
        fields = ["datum", "toelichting"]
        formfield_callback = datum_callback
        labels = {"datum": _("Opnieuw arbeidsongeschikt op")}

    def clean(self):
        cleaned = super().clean()
        hervat = self.traject.werkhervatting_op
        if hervat is None:
            raise forms.ValidationError(
                _("Registreer eerst de werkhervatting: een herval volgt op een hervatting.")
            )
        datum = cleaned.get("datum")
        if datum and datum <= hervat:
            self.add_error(
                "datum", _("Het herval moet na de werkhervatting (%(d)s) liggen.") % {"d": fmt(hervat)}
            )
        return cleaned

    def save(self, commit=True):
        self.instance.hervat_op = self.traject.werkhervatting_op
        herval = super().save(commit)
        self.traject.werkhervatting_op = None
        self.traject.werkhervatting_vorm = ""
        self.traject.status = m.Traject.Status.LOPEND
        self.traject.save()
        return herval


class EvaluatieForm(OnderdeelForm):
    class Meta:
        model = m.Evaluatie
        fields = ["datum", "gevoerd_door", "bijgestuurd", "verslag"]
        formfield_callback = datum_callback

    def clean(self):
        cleaned = super().clean()
        if self.traject.werkhervatting_op is None and not self.traject.herval_set.exists():
            raise forms.ValidationError(_("Een evaluatie volgt op een werkhervatting: registreer die eerst."))
        datum, hervat = cleaned.get("datum"), self.traject.werkhervatting_op
        if datum and hervat and datum < hervat:
            self.add_error(
                "datum", _("De evaluatie ligt vóór de werkhervatting (%(d)s).") % {"d": fmt(hervat)}
            )
        return cleaned


class AfsluitenForm(TrajectFormMixin, forms.ModelForm):
    event_dates = ("afgesloten_op",)

    class Meta:
        model = m.Traject
        fields = ["afgesloten_op", "uitkomst", "uitkomst_reden"]
        formfield_callback = datum_callback

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["afgesloten_op"].required = True
        self.fields["uitkomst"].required = True
        self.fields["uitkomst"].choices = [("", _("— kies een uitkomst —"))] + [
            c for c in m.Traject.Uitkomst.choices if c[0] != m.Traject.Uitkomst.OMGEZET_FORMEEL
        ]
        self.fields["uitkomst"].error_messages["required"] = _("Een traject afsluiten vraagt een uitkomst.")

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("uitkomst") == m.Traject.Uitkomst.GEEN_TERUGKEER
            and not cleaned.get("uitkomst_reden", "").strip()
        ):
            self.add_error("uitkomst_reden", _("Geef de reden waarom er geen terugkeer is."))
        return cleaned

    def save(self, commit=True):
        self.instance.status = m.Traject.Status.AFGESLOTEN
        return super().save(commit)


class OmzettenForm(TrajectFormMixin, forms.ModelForm):
    """Turn an informal trajectory into a formal one: the informal one closes, linked to the new one."""

    event_dates = ("aanvraag_ontvangen_op",)

    class Meta:
        model = m.FormeelVerloop
        fields = ["aanvrager", "aanvraag_ontvangen_op"]
        formfield_callback = datum_callback

    def clean(self):
        cleaned = super().clean()
        if self.traject.soort != m.Traject.Soort.INFORMEEL:
            raise forms.ValidationError(
                _("Alleen een informeel traject kan omgezet worden naar een formeel traject.")
            )
        aanvrager = cleaned.get("aanvrager")
        if aanvrager == m.FormeelVerloop.Aanvrager.ENTITEIT:
            ev = evaluate_traject(self.traject, self.today)
            if not ev.formal_possible_entity:
                vanaf = ev.formal_possible_entity_from
                msg = _(
                    "De entiteit kan een formeel traject pas opstarten na 3 maanden onafgebroken arbeidsongeschiktheid"
                )
                if vanaf:
                    msg = _("%(msg)s (vanaf %(d)s).") % {"msg": msg, "d": fmt(vanaf)}
                self.add_error("aanvrager", msg)
        return cleaned

    def save(self, commit=True):
        oud = self.traject
        nieuw = m.Traject.objects.create(
            soort=m.Traject.Soort.FORMEEL,
            personeelslid=oud.personeelslid,
            entiteit=oud.entiteit,
            doel_entiteit=oud.doel_entiteit,
            d0=oud.d0,
            coach=oud.coach,
            leidinggevende=oud.leidinggevende,
            voortgezet_van=oud,
        )
        self.instance.traject = nieuw
        verloop = super().save(commit)
        oud.status = m.Traject.Status.AFGESLOTEN
        oud.afgesloten_op = self.cleaned_data["aanvraag_ontvangen_op"]
        oud.uitkomst = m.Traject.Uitkomst.OMGEZET_FORMEEL
        oud.save()
        return verloop


class FormeelVerloopForm(TrajectFormMixin, forms.ModelForm):
    event_dates = (
        "aanvraag_ontvangen_op",
        "beoordeling_op",
        "beoordeling_ontvangen_op",
        "plan_op",
        "plan_ontvangen_op",
        "antwoord_op",
    )

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

    def clean(self):
        cleaned = super().clean()
        g = cleaned.get
        order = [
            (
                "beoordeling_op",
                "aanvraag_ontvangen_op",
                _("De beoordeling kan niet vóór de aanvraag liggen."),
            ),
            (
                "beoordeling_ontvangen_op",
                "beoordeling_op",
                _("De beoordeling kan niet ontvangen zijn vóór ze gemaakt is."),
            ),
            ("plan_op", "beoordeling_op", _("Het plan of verslag kan niet vóór de beoordeling liggen.")),
            ("plan_ontvangen_op", "plan_op", _("Het plan kan niet ontvangen zijn vóór het bezorgd is.")),
            ("antwoord_op", "plan_op", _("Het antwoord kan niet vóór het plan liggen.")),
        ]
        for later, earlier, msg in order:
            if g(later) and not g(earlier):
                self.add_error(later, _("Vul eerst de vorige stap in."))
            elif g(later) and g(earlier) and g(later) < g(earlier):
                self.add_error(later, msg)
        pairs = [
            ("beoordeling_op", "beoordeling", _("Kies de uitkomst van de beoordeling.")),
            ("plan_op", "plan_soort", _("Kies of het om een plan of een gemotiveerd verslag gaat.")),
            ("antwoord_op", "antwoord", _("Kies het antwoord van het personeelslid.")),
        ]
        for when, what, msg in pairs:
            if g(when) and not g(what):
                self.add_error(what, msg)
        return cleaned
