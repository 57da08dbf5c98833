import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from entiteiten.models import Entiteit
from trajecten.evaluation import batches, evaluate_traject, evaluation_as_dict
from trajecten.models import Traject

BATCH = 2000


class Command(BaseCommand):
    help = "Toont per open traject de mijlpalen en signalen van de termijnregels op een datum."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="Datum JJJJ-MM-DD (standaard: vandaag).")
        parser.add_argument("--entity", dest="entity", help="Alleen trajecten van deze entiteitscode.")
        parser.add_argument("--json", dest="as_json", action="store_true", help="Uitvoer als JSON-lijst.")

    def handle(self, *args, as_of=None, entity=None, as_json=False, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"Ongeldige datum '{as_of}': gebruik JJJJ-MM-DD.") from exc
        qs = Traject.objects.exclude(status=Traject.Status.AFGESLOTEN).order_by("pk")
        if entity:
            if not Entiteit.objects.filter(code=entity).exists():
                raise CommandError(f"Onbekende entiteitscode '{entity}'.")
            qs = qs.filter(entiteit__code=entity)
        if as_json:
            self._json(qs, day)
        else:
            self._text(qs, day)

    def _json(self, qs, day):
        out = self.stdout
        out.write("[", ending="")
        for i, traject in enumerate(t for batch in batches(qs, BATCH) for t in batch):
            item = evaluation_as_dict(traject, evaluate_traject(traject, day))
            out.write(("," if i else "") + "\n" + json.dumps(item, ensure_ascii=False), ending="")
        out.write("\n]")

    def _text(self, qs, day):
        for traject in (t for batch in batches(qs, BATCH) for t in batch):
            ev = evaluate_traject(traject, day)
            flags = []
            if ev.formal_mandatory:
                flags.append("FORMEEL VERPLICHT (" + ", ".join(ev.formal_mandatory_reasons) + ")")
            elif ev.formal_mandatory_from:
                flags.append(f"formeel verplicht vanaf {ev.formal_mandatory_from:%d/%m/%Y}")
            if ev.at_work:
                flags.append("werk hervat")
            if ev.formal_possible_entity:
                flags.append("formeel mogelijk (entiteit)")
            elif ev.formal_possible_staff:
                flags.append("formeel mogelijk (personeelslid)")
            flags += [f"waarschuwing: {w}" for w in ev.warnings]
            self.stdout.write(
                f"traject {traject.pk} [{traject.entiteit.code}] {traject.soort}  " + "; ".join(flags)
            )
            for m in ev.milestones:
                met = f" op {m.met_on:%d/%m/%Y}" if m.met_on else ""
                history = f"  (periode {m.period}, historiek)" if m.history else ""
                self.stdout.write(f"    {m.code:<24} {m.due:%d/%m/%Y}  {m.state}{met}{history}")
