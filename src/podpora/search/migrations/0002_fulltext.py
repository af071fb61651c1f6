"""The full-text index of ``search_entry``, kept by the database from its rows.

SQLite: an FTS5 table over the entry's columns (external content, no second copy of the
text), case and diacritics folded by the ``unicode61 remove_diacritics 2`` tokenizer, kept by
the three triggers of the FTS5 documentation. PostgreSQL: ``unaccent`` in a text search
configuration ``podpora`` (the ``simple`` configuration with the accents removed first), two
``tsvector`` columns filled by a trigger (what customers may read, weighted title and names
over the text; internal notes) and a GIN index on each."""

from django.db import migrations

from podpora.core.migration_ops import RunSQLOn

SQLITE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, body, notes, meta,
        content='search_entry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='3'
    )""",
    """CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_fts(rowid, title, body, notes, meta)
        VALUES (new.id, new.title, new.body, new.notes, new.meta);
    END""",
    """CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body, notes, meta)
        VALUES ('delete', old.id, old.title, old.body, old.notes, old.meta);
    END""",
    """CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body, notes, meta)
        VALUES ('delete', old.id, old.title, old.body, old.notes, old.meta);
        INSERT INTO search_fts(rowid, title, body, notes, meta)
        VALUES (new.id, new.title, new.body, new.notes, new.meta);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'podpora') THEN
            CREATE TEXT SEARCH CONFIGURATION podpora (COPY = simple);
            ALTER TEXT SEARCH CONFIGURATION podpora
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
        END IF;
    END $$""",
    "ALTER TABLE search_entry ADD COLUMN tsv tsvector, ADD COLUMN tsv_notes tsvector",
    """CREATE FUNCTION search_entry_tsv() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        NEW.tsv := setweight(to_tsvector('podpora', NEW.title || ' ' || NEW.meta), 'A')
                || setweight(to_tsvector('podpora', NEW.body), 'B');
        NEW.tsv_notes := to_tsvector('podpora', NEW.notes);
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER search_entry_tsv BEFORE INSERT OR UPDATE ON search_entry
        FOR EACH ROW EXECUTE FUNCTION search_entry_tsv()""",
    "CREATE INDEX search_entry_tsv_gin ON search_entry USING gin (tsv)",
    "CREATE INDEX search_entry_notes_gin ON search_entry USING gin (tsv_notes)",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS search_entry_tsv ON search_entry",
    "DROP FUNCTION IF EXISTS search_entry_tsv()",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS tsv, DROP COLUMN IF EXISTS tsv_notes",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        RunSQLOn("sqlite", SQLITE, SQLITE_REVERSE),
        RunSQLOn("postgresql", POSTGRES, POSTGRES_REVERSE),
    ]
