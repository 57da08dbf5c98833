from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trajecten import jobs, monitoring


class Command(BaseCommand):
    help = "Voert de dagelijkse termijnbewaking nu uit: signalen bijwerken en meldingen versturen."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="Datum JJJJ-MM-DD (standaard: vandaag).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Toon wat zou gebeuren, zonder iets te wijzigen."
        )

    def handle(self, *args, as_of=None, dry_run=False, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"Ongeldige datum '{as_of}': gebruik JJJJ-MM-DD.") from exc
        if dry_run:
            result = monitoring.run(day, dry_run=True)
            for traject_id, (soort, mijlpaal, due) in result.raised_signals:
                self.stdout.write(f"zou melden: traject {traject_id} {soort} {mijlpaal} {due:%d/%m/%Y}")
            r, errors = result.as_dict(), result.errors
        else:  # the nightly run's own batches and end, in this process; on the operator's status page too
            run = jobs.run_here(day, trigger="manueel")
            r, errors = run.counts, run.error_count
        self.stdout.write(
            f"{'Proef: ' if dry_run else ''}{r.get('evaluated', 0)} trajecten geëvalueerd op {day:%d/%m/%Y}: "
            f"{r.get('raised', 0)} nieuwe signalen, {r.get('resolved', 0)} opgelost, {errors} fouten, "
            f"{r.get('notifications_recorded', 0)} meldingen klaargezet."
        )
        if not dry_run:
            self.stdout.write(
                f"Afwezigheden van 4 weken of meer zonder traject: {r.get('absences_raised', 0)} nieuwe "
                f"signalen, {r.get('absences_resolved', 0)} opgelost."
            )
            sent, failed = monitoring.send_pending()
            self.stdout.write(
                f"{sent} e-mails verstuurd, {failed} mislukt (worden later opnieuw geprobeerd)."
            )
        if errors:
            raise CommandError(f"{errors} trajecten konden niet geëvalueerd worden; zie het logboek.")
