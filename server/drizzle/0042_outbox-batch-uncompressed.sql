-- A batch row's events are written once and read a few times: compressing their text (pglz, some
-- kilobytes a row) cost more PostgreSQL CPU than storing it out of line as it is.
ALTER TABLE "domain_events" ALTER COLUMN "batch" SET STORAGE EXTERNAL;
