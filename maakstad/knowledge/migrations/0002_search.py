"""Full-text search: a Dutch tsvector column with a GIN index on PostgreSQL, an FTS5 table on
SQLite. Each database gets only its own; `knowledge.search` picks the matching query."""

from django.db import migrations

POSTGRES = [
    "ALTER TABLE knowledge_resource ADD COLUMN search_vector tsvector",
    "CREATE INDEX knowledge_resource_search_gin ON knowledge_resource USING gin(search_vector)",
]
POSTGRES_REVERSE = ["ALTER TABLE knowledge_resource DROP COLUMN search_vector"]
SQLITE = [
    "CREATE VIRTUAL TABLE knowledge_resource_fts USING fts5("
    "title, summary, body, tokenize = 'unicode61 remove_diacritics 2')"
]
SQLITE_REVERSE = ["DROP TABLE knowledge_resource_fts"]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = (
        POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
