"""The trajectory's ``zoeknaam`` (the staff member's first name, surname and personnel number), kept by the
database itself: triggers fill it in on every insert or update of a trajectory and on every change of a
staff member's name or number, whoever writes (the services, an import, the retention job, raw SQL); what
Django writes into it is replaced. The name search reads it (trajecten.filters.zoek_q).

Installed by migration 0012 and again after every ``migrate`` (``install`` is idempotent): SQLite drops a
table's triggers when a later migration remakes the table.
"""

from __future__ import annotations

# PostgreSQL: one formula, in the trajectory's trigger; a staff member's change empties the trajectories'
# value, and their trigger fills it in again.
POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION trajecten_traject_zoeknaam() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        SELECT concat_ws(' ', p.voornaam, p.achternaam, p.personeelsnummer) INTO NEW.zoeknaam
        FROM trajecten_personeelslid p WHERE p.id = NEW.personeelslid_id;
        RETURN NEW;
    END $$
    """,
    """
    CREATE OR REPLACE TRIGGER traject_zoeknaam BEFORE INSERT OR UPDATE OF personeelslid_id, zoeknaam
    ON trajecten_traject FOR EACH ROW EXECUTE FUNCTION trajecten_traject_zoeknaam()
    """,
    """
    CREATE OR REPLACE FUNCTION trajecten_personeelslid_zoeknaam() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE trajecten_traject SET zoeknaam = '' WHERE personeelslid_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE TRIGGER personeelslid_zoeknaam AFTER UPDATE OF voornaam, achternaam, personeelsnummer
    ON trajecten_personeelslid FOR EACH ROW
    WHEN (OLD.voornaam IS DISTINCT FROM NEW.voornaam OR OLD.achternaam IS DISTINCT FROM NEW.achternaam
          OR OLD.personeelsnummer IS DISTINCT FROM NEW.personeelsnummer)
    EXECUTE FUNCTION trajecten_personeelslid_zoeknaam()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS personeelslid_zoeknaam ON trajecten_personeelslid",
    "DROP FUNCTION IF EXISTS trajecten_personeelslid_zoeknaam()",
    "DROP TRIGGER IF EXISTS traject_zoeknaam ON trajecten_traject",
    "DROP FUNCTION IF EXISTS trajecten_traject_zoeknaam()",
]

# SQLite (development): a trigger cannot change the row being written, so it updates the row after; SQLite
# does not fire a trigger from its own statements (recursive_triggers is off), so this ends.
_SQLITE_VALUE = (
    "(SELECT p.voornaam || ' ' || p.achternaam || ' ' || p.personeelsnummer "
    "FROM trajecten_personeelslid p WHERE p.id = NEW.personeelslid_id)"
)
SQLITE = [
    f"""
    CREATE TRIGGER IF NOT EXISTS traject_zoeknaam_insert AFTER INSERT ON trajecten_traject
    BEGIN UPDATE trajecten_traject SET zoeknaam = {_SQLITE_VALUE} WHERE id = NEW.id; END
    """,  # noqa: S608 - constant SQL, no input
    f"""
    CREATE TRIGGER IF NOT EXISTS traject_zoeknaam_update AFTER UPDATE OF personeelslid_id, zoeknaam
    ON trajecten_traject
    BEGIN UPDATE trajecten_traject SET zoeknaam = {_SQLITE_VALUE} WHERE id = NEW.id; END
    """,  # noqa: S608 - constant SQL, no input
    """
    CREATE TRIGGER IF NOT EXISTS personeelslid_zoeknaam AFTER UPDATE OF voornaam, achternaam, personeelsnummer
    ON trajecten_personeelslid
    BEGIN UPDATE trajecten_traject SET zoeknaam = '' WHERE personeelslid_id = NEW.id; END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS personeelslid_zoeknaam",
    "DROP TRIGGER IF EXISTS traject_zoeknaam_update",
    "DROP TRIGGER IF EXISTS traject_zoeknaam_insert",
]

INSTALL = {"postgresql": POSTGRESQL, "sqlite": SQLITE}
DROP = {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}


def _execute(connection, by_vendor: dict[str, list[str]]) -> None:
    with connection.cursor() as cur:
        for sql in by_vendor.get(connection.vendor, ()):
            cur.execute(sql)


def install(connection) -> None:
    """Create (or replace) the triggers on this connection's database."""
    _execute(connection, INSTALL)


def drop(connection) -> None:
    _execute(connection, DROP)


def fill(connection) -> None:
    """Every trajectory's value, through the trigger."""
    with connection.cursor() as cur:
        cur.execute("UPDATE trajecten_traject SET zoeknaam = ''")


def after_migrate(sender, using, plan=None, **kwargs) -> None:
    """post_migrate: the triggers again, once the column exists (a table SQLite remade lost them)."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    applied = MigrationRecorder(connection).applied_migrations()
    if ("trajecten", "0012_zoeknaam") in applied:
        install(connection)
