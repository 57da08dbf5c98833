"""The database itself refuses what must never be inconsistent."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from entiteiten.models import Gebruiker
from tests.factories import EntiteitFactory, PersoneelslidFactory, TrajectFactory
from trajecten import models as m

pytestmark = pytest.mark.django_db


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_informal_trajectory_needs_d0():
    refused(lambda: TrajectFactory(d0=None))


def test_preventive_trajectory_has_no_d0():
    refused(lambda: TrajectFactory(soort=m.Traject.Soort.PREVENTIEF, d0=date(2026, 1, 1)))
    assert TrajectFactory(soort=m.Traject.Soort.PREVENTIEF, d0=None).pk


def test_return_before_d0_is_refused():
    refused(
        lambda: TrajectFactory(
            d0=date(2026, 3, 1), werkhervatting_op=date(2026, 2, 28), werkhervatting_vorm="volledig"
        )
    )
    assert TrajectFactory(
        d0=date(2026, 3, 1), werkhervatting_op=date(2026, 3, 1), werkhervatting_vorm="volledig"
    ).pk


def test_return_needs_its_form():
    refused(lambda: TrajectFactory(werkhervatting_op=date(2026, 3, 1)))


def test_closed_trajectory_needs_outcome():
    refused(lambda: TrajectFactory(status="afgesloten", afgesloten_op=date(2026, 5, 1)))
    refused(lambda: TrajectFactory(status="afgesloten", uitkomst="zelfde_functie"))
    refused(
        lambda: TrajectFactory(status="lopend", afgesloten_op=date(2026, 5, 1), uitkomst="zelfde_functie")
    )
    assert TrajectFactory(status="afgesloten", afgesloten_op=date(2026, 5, 1), uitkomst="zelfde_functie").pk


def test_closure_before_d0_is_refused():
    refused(
        lambda: TrajectFactory(
            status="afgesloten", afgesloten_op=date(2026, 1, 30), uitkomst="zelfde_functie"
        )
    )


def test_no_return_needs_a_reason():
    refused(
        lambda: TrajectFactory(status="afgesloten", afgesloten_op=date(2026, 5, 1), uitkomst="geen_terugkeer")
    )
    assert TrajectFactory(
        status="afgesloten",
        afgesloten_op=date(2026, 5, 1),
        uitkomst="geen_terugkeer",
        uitkomst_reden="Pensioen",
    ).pk


def test_entity_crossing_target_differs_from_source():
    lid = PersoneelslidFactory()
    refused(lambda: TrajectFactory(personeelslid=lid, doel_entiteit=lid.entiteit))
    assert TrajectFactory(personeelslid=lid, doel_entiteit=EntiteitFactory()).entiteitsoverschrijdend


def test_stappenplan_needs_an_assessment():
    t = TrajectFactory()
    refused(lambda: m.Stappenplan.objects.create(traject=t, datum=date(2026, 3, 1)))


def test_assessment_not_yet_possible_plans_a_later_conversation():
    t = TrajectFactory()
    refused(
        lambda: m.Inschatting.objects.create(traject=t, datum=date(2026, 3, 1), uitkomst="nog_niet_mogelijk")
    )
    refused(
        lambda: m.Inschatting.objects.create(
            traject=t,
            datum=date(2026, 3, 1),
            uitkomst="nog_niet_mogelijk",
            volgend_gesprek_op=date(2026, 3, 1),
        )
    )
    refused(
        lambda: m.Inschatting.objects.create(
            traject=t,
            datum=date(2026, 3, 1),
            uitkomst="stappen_mogelijk",
            volgend_gesprek_op=date(2026, 4, 1),
        )
    )
    assert m.Inschatting.objects.create(
        traject=t, datum=date(2026, 3, 1), uitkomst="nog_niet_mogelijk", volgend_gesprek_op=date(2026, 3, 15)
    ).pk


def test_extension_needs_reason_and_later_date():
    t = TrajectFactory()
    refused(
        lambda: m.Verlenging.objects.create(
            traject=t, toegekend_op=date(2026, 4, 1), nieuwe_datum=date(2026, 6, 1), reden=""
        )
    )
    refused(
        lambda: m.Verlenging.objects.create(
            traject=t, toegekend_op=date(2026, 4, 1), nieuwe_datum=date(2026, 4, 1), reden="SMT"
        )
    )


def test_relapse_after_resumption():
    t = TrajectFactory()
    refused(lambda: m.Herval.objects.create(traject=t, hervat_op=date(2026, 4, 1), datum=date(2026, 4, 1)))


def test_formal_steps_are_ordered():
    t = TrajectFactory(soort="formeel")
    refused(
        lambda: m.FormeelVerloop.objects.create(
            traject=t,
            aanvrager="personeelslid",
            aanvraag_ontvangen_op=date(2026, 3, 1),
            beoordeling_op=date(2026, 2, 1),
            beoordeling="tijdelijk_ander_werk",
        )
    )
    refused(
        lambda: m.FormeelVerloop.objects.create(
            traject=t,
            aanvrager="personeelslid",
            aanvraag_ontvangen_op=date(2026, 3, 1),
            plan_op=date(2026, 4, 1),
            plan_soort="plan",
        )
    )
    refused(
        lambda: m.FormeelVerloop.objects.create(
            traject=t,
            aanvrager="personeelslid",
            aanvraag_ontvangen_op=date(2026, 3, 1),
            beoordeling_op=date(2026, 3, 5),
        )
    )


def test_coach_and_hr_belong_to_an_entity():
    refused(lambda: Gebruiker.objects.create(username="x", rol=Gebruiker.Rol.TERUGKEERCOACH, entiteit=None))
    refused(lambda: Gebruiker.objects.create(username="y", rol=Gebruiker.Rol.HR, entiteit=None))
    assert Gebruiker.objects.create(username="z", rol=Gebruiker.Rol.AGO, entiteit=None).pk


def test_every_dossier_change_is_kept_in_history():
    t = TrajectFactory(leidinggevende="Eerste")
    t.leidinggevende = "Tweede"
    t.save()
    g = m.Gesprek.objects.create(traject=t, datum=date(2026, 2, 10), vorm="telefoon", gevoerd_door="coach")
    g.delete()
    assert [h.leidinggevende for h in t.history.order_by("history_date")] == ["Eerste", "Tweede"]
    assert [h.history_type for h in m.Gesprek.history.filter(traject_id=t.pk).order_by("history_date")] == [
        "+",
        "-",
    ]


def test_every_free_text_field_warns_against_medical_data():
    from django.apps import apps
    from django.db import models as djm

    fields = [
        f
        for model in apps.get_app_config("trajecten").get_models()
        # the mail log and an upload's file text (removed once read) are not typed in by a user
        if not model.__name__.startswith("Historical")
        and model.__name__ not in ("Notificatie", "AfwezigheidImport")
        for f in model._meta.get_fields()
        if isinstance(f, djm.TextField)
    ]
    # uitkomst_reden, uitkomst, toelichting (x3), afspraken, omschrijving, reden, verslag, and the request to
    # AgO's motivatie and weigerreden
    assert len(fields) == 11
    for f in fields:
        assert "Geen medische gegevens" in str(f.help_text), f"{f.model.__name__}.{f.name}"
