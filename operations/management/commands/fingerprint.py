import json

from django.core.management.base import BaseCommand, CommandError

from operations.fingerprint import differences, fingerprint


class Command(BaseCommand):
    help = (
        "Vingerafdruk van de databank (aantal rijen per tabel en de rapportcijfers van elk jaar), als JSON; "
        "met --compare: vergelijk met een eerder bewaarde vingerafdruk (bv. na het terugzetten van een back-up)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--compare", metavar="BESTAND", help="Eerder bewaarde vingerafdruk (JSON).")

    def handle(self, *args, compare=None, **options):
        now = fingerprint()
        if not compare:
            self.stdout.write(json.dumps(now, indent=1, sort_keys=True, default=str))
            return
        try:
            with open(compare, encoding="utf-8") as fh:
                before = json.load(fh)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Kan {compare} niet lezen: {exc}") from exc
        diff = differences(before, json.loads(json.dumps(now, default=str)))
        for line in diff:
            self.stdout.write(line)
        if diff:
            raise CommandError(f"{len(diff)} verschil(len) met {compare}.")
        self.stdout.write(
            f"Gelijk: {len(now['tables'])} tabellen en de cijfers van {len(now['figures'])} jaren."
        )
