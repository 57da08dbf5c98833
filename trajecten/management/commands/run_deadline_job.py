from datetime import date

from django.core.management.base import BaseCommand, CommandError

from operations.jobs import record_run
from operations.models import JobRun
from trajecten import monitoring


class Command(BaseCommand):
    help = "Voert de dagelijkse termijnbewaking nu uit: signalen bijwerken en meldingen versturen."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="Datum JJJJ-MM-DD (standaard: vandaag).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Toon wat zou gebeuren, zonder iets te wijzigen."
        )

    def handle(self, *args, as_of=None, dry_run=False, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else None
        except ValueError as exc:
            raise CommandError(f"Ongeldige datum '{as_of}': gebruik JJJJ-MM-DD.") from exc
        if dry_run:
            result = monitoring.run(day, dry_run=True)
        else:  # a real run by hand shows on the operator's status page like the nightly one
            with record_run(JobRun.Job.DEADLINES, trigger="manueel") as run:
                result = monitoring.run(day)
                run.counts, run.error_count = result.as_dict(), result.errors
        if dry_run:
            for traject_id, (soort, mijlpaal, due) in result.raised_signals:
                self.stdout.write(f"zou melden: traject {traject_id} {soort} {mijlpaal} {due:%d/%m/%Y}")
        r = result.as_dict()
        self.stdout.write(
            f"{'Proef: ' if dry_run else ''}{r['evaluated']} trajecten geëvalueerd op {result.as_of:%d/%m/%Y}: "
            f"{r['raised']} nieuwe signalen, {r['resolved']} opgelost, {r['errors']} fouten, "
            f"{r['notifications_recorded']} meldingen klaargezet."
        )
        if not dry_run:
            sent, failed = monitoring.send_pending()
            self.stdout.write(
                f"{sent} e-mails verstuurd, {failed} mislukt (worden later opnieuw geprobeerd)."
            )
        if result.errors:
            raise CommandError(f"{result.errors} trajecten konden niet geëvalueerd worden; zie het logboek.")
