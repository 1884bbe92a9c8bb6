-- Each message bumps its conversation's counters. Leaving free space on every page lets PostgreSQL
-- update those rows in place (HOT) instead of writing a new version into every index.
ALTER TABLE conversations SET (fillfactor = 70);
