"""``manage.py seed_demo``: deterministic demo data relative to a reference date (see trajecten.generator)."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from entiteiten.models import Entiteit
from trajecten import generator
from trajecten.models import Traject

STANDAARD_AANTAL_TRAJECTEN = generator.demo().trajecten


class Command(BaseCommand):
    help = (
        "Laadt deterministische demodata (entiteiten, gebruikers, personeelsleden en trajecten in elke "
        "toestand van de termijnregels), relatief ten opzichte van een referentiedatum. Doet niets als er "
        "al entiteiten zijn, tenzij met --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reference-date", dest="reference_date", help="Referentiedatum JJJJ-MM-DD (standaard: vandaag)."
        )
        parser.add_argument(
            "--seed", type=int, default=generator.STANDAARD_SEED, help="Seed (standaard 2024)."
        )
        parser.add_argument(
            "--trajecten",
            type=int,
            default=STANDAARD_AANTAL_TRAJECTEN,
            help="Aantal trajecten (standaard 300).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Wis eerst trajecten, personeelsleden, gebruikers (behalve superusers) en entiteiten.",
        )

    def handle(
        self,
        *args,
        reference_date=None,
        seed=generator.STANDAARD_SEED,
        trajecten=STANDAARD_AANTAL_TRAJECTEN,
        reset=False,
        **options,
    ):
        try:
            ref = date.fromisoformat(reference_date) if reference_date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"Ongeldige datum '{reference_date}': gebruik JJJJ-MM-DD.") from exc
        if trajecten < 0:
            raise CommandError("--trajecten moet 0 of meer zijn.")

        if Entiteit.objects.exists() and not reset:
            self.stdout.write(
                "Er zijn al entiteiten: geen demodata aangemaakt (gebruik --reset om ze opnieuw te laden)."
            )
            self._logins(generator.logins())
            return

        start = time.monotonic()
        try:
            with transaction.atomic():
                if reset:
                    weg = generator.wis()
                    self.stdout.write(
                        "Gewist: " + ", ".join(f"{n} {label}" for label, n in weg.items() if n)
                        if any(weg.values())
                        else "Gewist: niets (database was leeg)."
                    )
                resultaat = generator.laad(generator.demo(trajecten), seed, ref)
        except (ProtectedError, RestrictedError) as exc:
            raise CommandError(f"Kan de bestaande gegevens niet wissen: {exc.args[0]}") from exc
        duur = time.monotonic() - start

        self.stdout.write(
            self.style.SUCCESS(
                f"Demodata geladen in {duur:.1f} s (referentiedatum {ref:%d/%m/%Y}, seed {seed})."
            )
        )
        self.stdout.write("  " + ", ".join(f"{n} {label}" for label, n in resultaat.aantallen.items()))
        self.stdout.write(
            f"  Termijnbewaking uitgevoerd op {ref:%d/%m/%Y}: {resultaat.signalen} signalen (geen e-mails)."
        )
        self._samenvatting(resultaat)
        self._logins(generator.logins())

    def _samenvatting(self, resultaat):
        soorten = dict(Traject.Soort.choices)
        statussen = [s for s, _ in Traject.Status.choices]
        self.stdout.write("")
        self.stdout.write(f"{'Trajecten':<32}" + "".join(f"{s:>12}" for s in statussen) + f"{'totaal':>10}")
        for soort, label in soorten.items():
            rij = [resultaat.per_soort_status.get((soort, s), 0) for s in statussen]
            self.stdout.write(f"{str(label)[:31]:<32}" + "".join(f"{n:>12}" for n in rij) + f"{sum(rij):>10}")
        totalen = [sum(n for (_, s), n in resultaat.per_soort_status.items() if s == st) for st in statussen]
        self.stdout.write(f"{'totaal':<32}" + "".join(f"{n:>12}" for n in totalen) + f"{sum(totalen):>10}")
        self.stdout.write(
            "Scenario's: " + ", ".join(f"{naam} {n}" for naam, n in sorted(resultaat.per_scenario.items()))
        )

    def _logins(self, logins):
        self.stdout.write("")
        self.stdout.write("Demo-logins:")
        self.stdout.write(f"  {'gebruikersnaam':<16} {'entiteit':<9} rol")
        for username, rol, entiteit in logins:
            self.stdout.write(f"  {username:<16} {entiteit:<9} {rol}")
        self.stdout.write(f"Wachtwoord voor alle demogebruikers: {generator.DEMO_WACHTWOORD}")
        self.stdout.write("Open http://127.0.0.1:8000")
