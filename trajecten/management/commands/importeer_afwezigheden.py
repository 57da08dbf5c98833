"""``manage.py importeer_afwezigheden bestand.csv [--entiteit CODE]``: load absence periods (all or nothing)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from entiteiten.models import Entiteit
from trajecten.audit import Bron, bron
from trajecten.services import ActionContext, afwezigheden


class Command(BaseCommand):
    help = (
        "Leest afwezigheidsperiodes uit het personeelssysteem in (CSV: personeelsnummer;entiteit;eerste_dag;"
        "laatste_dag). Het hele bestand of niets: bij één geweigerde regel wordt niets ingelezen."
    )

    def add_arguments(self, parser):
        parser.add_argument("bestand")
        parser.add_argument("--entiteit", help="Enkel regels van deze entiteit aanvaarden (code).")

    def handle(self, *args, bestand, entiteit=None, **options):
        path = Path(bestand)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Kan {path} niet lezen als UTF-8-tekst: {exc}") from exc
        only = None
        if entiteit:
            only = Entiteit.objects.filter(code__iexact=entiteit).first()
            if only is None:
                raise CommandError(f"Onbekende entiteit '{entiteit}'.")
        with bron(Bron.IMPORT):
            imp = afwezigheden.aanvragen(ActionContext(None, timezone.localdate()), path.name, text, only)
            imp = afwezigheden.verwerken(imp.pk)
        if imp.status != imp.Status.KLAAR:
            for regel, veld, reden in imp.fouten:
                self.stderr.write(f"regel {regel} ({veld}): {reden}" if regel else reden)
            raise CommandError(f"{imp.get_status_display()}: {len(imp.fouten)} regel(s) geweigerd.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Ingelezen: {imp.nieuw} nieuw, {imp.vervangen} vervangen, {imp.ongewijzigd} ongewijzigd."
            )
        )
