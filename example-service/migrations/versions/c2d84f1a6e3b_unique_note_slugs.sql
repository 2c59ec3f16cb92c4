-- Revision: c2d84f1a6e3b
-- Revises: 5b7e2d9c4a10
-- Message: unique note slugs

-- +upgrade postgres
ALTER TABLE notes ADD COLUMN slug VARCHAR(64);
-- lint: allow schema-and-data: the service holds a handful of notes
UPDATE notes SET slug = lower(left(body, 64));
-- lint: allow index-not-concurrent: the service holds a handful of notes
CREATE UNIQUE INDEX notes_slug ON notes (slug);

-- +downgrade postgres
DROP INDEX notes_slug;
ALTER TABLE notes DROP COLUMN slug;
