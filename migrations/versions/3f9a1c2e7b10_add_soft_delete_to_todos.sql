-- Revision: 3f9a1c2e7b10
-- Revises: 8c1f0e2a9b3d
-- Message: add soft delete to todos
-- Created: 2026-11-21 10:45:00 UTC

-- +upgrade
ALTER TABLE todos ADD COLUMN deleted_at TIMESTAMP;

-- +downgrade
ALTER TABLE todos DROP COLUMN deleted_at;
