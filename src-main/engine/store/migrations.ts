import type { Database } from 'better-sqlite3';

/**
 * Schema migrations, in order. Migration i (0-based) moves a database from
 * `user_version` i to i + 1. Never edit a migration that has shipped: append a new one.
 *
 * Conventions: STRICT tables, foreign keys, and label events that are append-only
 * (enforced by triggers: an undo is a new event, never an update).
 */
export type Migration = (db: Database) => void;

const v1: Migration = (db) => {
  db.exec(`
    CREATE TABLE meta (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    -- Settings are JSON values; defaults live in code so a missing key is not an error.
    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    -- Every file ingestion has looked at. (path, size, mtime_ms) decides whether a re-run skips it.
    CREATE TABLE sources (
      id          INTEGER PRIMARY KEY,
      path        TEXT NOT NULL UNIQUE,
      size        INTEGER NOT NULL,
      mtime_ms    INTEGER NOT NULL,
      hash        TEXT,
      kind        TEXT NOT NULL CHECK (kind IN ('fits', 'image', 'catalogue', 'generated')),
      status      TEXT NOT NULL CHECK (status IN ('pending', 'ingested', 'rejected')),
      objects     INTEGER NOT NULL DEFAULT 0,
      ingested_at TEXT
    ) STRICT;

    CREATE TABLE ingest_errors (
      id     INTEGER PRIMARY KEY,
      path   TEXT NOT NULL,
      reason TEXT NOT NULL,
      at     TEXT NOT NULL
    ) STRICT;

    -- One cutout the model sees and the expert labels. Pixels are the normalised tensor the
    -- model trains on (pixel_format says how they are packed); display stretches are computed
    -- from them in the renderer, so they keep the dynamic range (lo/hi are the original units).
    CREATE TABLE objects (
      id           INTEGER PRIMARY KEY,
      uid          TEXT NOT NULL UNIQUE,
      source_id    INTEGER NOT NULL REFERENCES sources(id),
      hdu          INTEGER,
      x            REAL,
      y            REAL,
      ra           REAL,
      dec          REAL,
      bands        INTEGER NOT NULL CHECK (bands >= 1),
      band_names   TEXT,
      size         INTEGER NOT NULL CHECK (size >= 1),
      pixel_format TEXT NOT NULL CHECK (pixel_format IN ('f32', 'f16', 'u8', 'ref')),
      pixels       BLOB,
      pixel_ref    TEXT,
      lo           REAL,
      hi           REAL,
      meta         TEXT,
      created_at   TEXT NOT NULL
    ) STRICT;
    CREATE INDEX objects_source ON objects(source_id);

    -- The taxonomy. A merged class keeps its row (history refers to it) and points at the
    -- class it was merged into. output_index is the model's softmax column.
    CREATE TABLE classes (
      id            INTEGER PRIMARY KEY,
      name          TEXT NOT NULL,
      kind          TEXT NOT NULL CHECK (kind IN ('normal', 'anomaly', 'reserve')),
      interest      REAL NOT NULL DEFAULT 0 CHECK (interest >= 0),
      hotkey        TEXT,
      colour        TEXT NOT NULL,
      created_round INTEGER NOT NULL DEFAULT 0,
      merged_into   INTEGER REFERENCES classes(id),
      output_index  INTEGER,
      created_at    TEXT NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX classes_live_name ON classes(name) WHERE merged_into IS NULL;
    CREATE UNIQUE INDEX classes_live_hotkey ON classes(hotkey)
      WHERE merged_into IS NULL AND hotkey IS NOT NULL;

    CREATE TABLE rounds (
      number        INTEGER PRIMARY KEY,
      status        TEXT NOT NULL
                    CHECK (status IN ('scoring', 'asking', 'training', 'done', 'cancelled')),
      strategy      TEXT NOT NULL,
      queries       INTEGER NOT NULL CHECK (queries >= 1),
      backend       TEXT,
      started_at    TEXT NOT NULL,
      finished_at   TEXT,
      score_seconds REAL,
      train_seconds REAL,
      metrics       TEXT
    ) STRICT;

    -- The history of every answer. Append-only: an undo is a new row pointing at the row it
    -- undoes. kind 'import' = prior knowledge loaded with the data (round 0).
    CREATE TABLE label_events (
      id        INTEGER PRIMARY KEY,
      object_id INTEGER NOT NULL REFERENCES objects(id),
      class_id  INTEGER REFERENCES classes(id),
      round     INTEGER NOT NULL,
      kind      TEXT NOT NULL CHECK (kind IN ('label', 'import', 'undo')),
      undoes    INTEGER UNIQUE REFERENCES label_events(id),
      seconds   REAL,
      origin    TEXT NOT NULL,
      at        TEXT NOT NULL,
      CHECK ((kind = 'undo') = (undoes IS NOT NULL)),
      CHECK ((kind = 'undo') = (class_id IS NULL))
    ) STRICT;
    CREATE INDEX label_events_object ON label_events(object_id, id);
    CREATE TRIGGER label_events_append_only_update BEFORE UPDATE ON label_events
      BEGIN SELECT RAISE(ABORT, 'label events are append-only'); END;
    CREATE TRIGGER label_events_append_only_delete BEFORE DELETE ON label_events
      BEGIN SELECT RAISE(ABORT, 'label events are append-only'); END;

    -- Derived from label_events in the same transaction as each event, so the per-keystroke
    -- queries (class counts, "is it labelled?") never replay history. Rebuildable at any time.
    CREATE TABLE object_labels (
      object_id INTEGER PRIMARY KEY REFERENCES objects(id),
      class_id  INTEGER NOT NULL REFERENCES classes(id),
      event_id  INTEGER NOT NULL REFERENCES label_events(id)
    ) STRICT;
    CREATE INDEX object_labels_class ON object_labels(class_id);

    CREATE VIEW label_history AS
      SELECT e.*, u.id AS undone_by
      FROM label_events e LEFT JOIN label_events u ON u.undoes = e.id;

    CREATE TABLE questions (
      round     INTEGER NOT NULL REFERENCES rounds(number),
      rank      INTEGER NOT NULL,
      object_id INTEGER NOT NULL REFERENCES objects(id),
      class_id  INTEGER REFERENCES classes(id),
      score     REAL NOT NULL,
      why       TEXT,
      PRIMARY KEY (round, rank),
      UNIQUE (round, object_id)
    ) STRICT;

    CREATE TABLE models (
      id           INTEGER PRIMARY KEY,
      round        INTEGER REFERENCES rounds(number),
      backend      TEXT NOT NULL,
      architecture TEXT NOT NULL,
      class_map    TEXT NOT NULL,
      weights      BLOB NOT NULL,
      metrics      TEXT,
      created_at   TEXT NOT NULL
    ) STRICT;

    -- The latest model's opinion of each object (a cache, overwritten each round): what the
    -- export and the preview show. probs/latent are little-endian float32 arrays.
    CREATE TABLE object_scores (
      object_id INTEGER PRIMARY KEY REFERENCES objects(id),
      model_id  INTEGER NOT NULL REFERENCES models(id),
      score     REAL NOT NULL,
      probs     BLOB NOT NULL,
      latent    BLOB
    ) STRICT;
    CREATE INDEX object_scores_score ON object_scores(score DESC);
  `);
};

/**
 * v2: the cutout-shape index. Every round checks that all objects share one shape; without an
 * index that grouped every row of objects (at 10^6 objects, a pass over ~0.5 GB of pages);
 * with it, the smallest and largest shape are two index probes (store/objects.ts objectShapes).
 */
const v2: Migration = (db) => {
  db.exec('CREATE INDEX objects_shape ON objects(size, bands)');
};

/**
 * v3: notes and the "uncertain" flag per object (review and correct). Like labels they are
 * events, append-only, with a derived current state; plus the indexes the review gallery
 * pages through (a class's labels newest first, every label newest first, the uncertain ones).
 */
const v3: Migration = (db) => {
  db.exec(`
    -- Each event holds the object's whole annotation after it (note, flag), so history reads
    -- without replay and the current state is the newest event.
    CREATE TABLE annotation_events (
      id        INTEGER PRIMARY KEY,
      object_id INTEGER NOT NULL REFERENCES objects(id),
      note      TEXT NOT NULL,
      uncertain INTEGER NOT NULL CHECK (uncertain IN (0, 1)),
      round     INTEGER NOT NULL,
      origin    TEXT NOT NULL,
      at        TEXT NOT NULL
    ) STRICT;
    CREATE INDEX annotation_events_object ON annotation_events(object_id, id);
    CREATE TRIGGER annotation_events_append_only_update BEFORE UPDATE ON annotation_events
      BEGIN SELECT RAISE(ABORT, 'annotation events are append-only'); END;
    CREATE TRIGGER annotation_events_append_only_delete BEFORE DELETE ON annotation_events
      BEGIN SELECT RAISE(ABORT, 'annotation events are append-only'); END;

    -- Derived in the same transaction as each event; an object with no note and no flag has no row.
    CREATE TABLE object_annotations (
      object_id INTEGER PRIMARY KEY REFERENCES objects(id),
      note      TEXT NOT NULL,
      uncertain INTEGER NOT NULL CHECK (uncertain IN (0, 1)),
      event_id  INTEGER NOT NULL REFERENCES annotation_events(id)
    ) STRICT;
    CREATE INDEX object_annotations_uncertain ON object_annotations(event_id) WHERE uncertain = 1;

    CREATE INDEX object_labels_class_newest ON object_labels(class_id, event_id);
    CREATE INDEX object_labels_newest ON object_labels(event_id);
  `);
};

/**
 * v4: the sky index. A SAMP peer pointing at a position (coord.pointAt.sky) asks for the
 * objects near it; a declination band scanned the whole table (1 s at 10^5 objects, on the
 * thread that answers the keyboard, per pointing). Searched by a small box first, it is a
 * few index probes (store/sky.ts objectsInSkyBox, samp/nearest.ts).
 */
const v4: Migration = (db) => {
  db.exec('CREATE INDEX objects_sky ON objects(dec, ra)');
};

export const migrations: readonly Migration[] = [v1, v2, v3, v4];
