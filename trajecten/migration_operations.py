"""Migration operations that change the database on PostgreSQL only, the model state everywhere: the
worklist's indexes (NULLS LAST, INCLUDE) and the trigram indexes are PostgreSQL's; SQLite (development)
does without them."""

from django.db import migrations


class OnPostgresOnly:
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class AddIndexOnPostgres(OnPostgresOnly, migrations.AddIndex):
    pass


class RemoveIndexOnPostgres(OnPostgresOnly, migrations.RemoveIndex):
    pass
