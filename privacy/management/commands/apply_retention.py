from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from privacy.tasks import run_retention


class Command(BaseCommand):
    help = (
        "Anonimiseert de gegevens van personeelsleden van wie het laatste traject langer dan de "
        "bewaartermijn (RETENTION_YEARS) geleden werd afgesloten, en wist de leeslog na "
        "READ_LOG_RETENTION_DAYS dagen."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="Datum JJJJ-MM-DD (standaard: vandaag).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Toon wie geanonimiseerd zou worden, zonder iets te wijzigen.",
        )

    def handle(self, *args, as_of=None, dry_run=False, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else None
        except ValueError as exc:
            raise CommandError(f"Ongeldige datum '{as_of}': gebruik JJJJ-MM-DD.") from exc
        if settings.RETENTION_YEARS is None:
            self.stderr.write("RETENTION_YEARS is niet ingesteld: er wordt niets geanonimiseerd.")
        result = run_retention(day, dry_run=dry_run, trigger="manueel")
        if dry_run:
            for c in result.candidates:
                trajecten = ", ".join(str(t) for t in c.trajecten)
                self.stdout.write(
                    f"zou anonimiseren: personeelslid {c.personeelslid_id} ({c.entiteit}), "
                    f"trajecten {trajecten}, laatst afgesloten op {c.laatst_afgesloten_op:%d/%m/%Y}"
                )
        r = result.as_dict()
        grens = f" (afgesloten vóór {result.cutoff:%d/%m/%Y})" if result.cutoff else ""
        self.stdout.write(
            f"{'Proef: ' if dry_run else ''}{r['personen']} personeelsleden met {r['trajecten']} trajecten "
            f"{'zouden geanonimiseerd worden' if dry_run else 'geanonimiseerd'}{grens}; "
            f"{r['rijen']} rijen en {r['historiekrijen']} historiekrijen, {r['notificaties']} e-mails; "
            f"{r['leeslog_gewist']} raadplegingen uit de leeslog gewist."
        )
