-- Every insert and update of a search-index row takes the next revision of its language. The
-- counter row stays locked until the writer commits, so a reader that sees revision n also sees
-- every row with a lower one: each node's in-memory index loads the rows above the revision it holds.
INSERT INTO help_search_revisions (locale, revision) VALUES ('zh-CN', 0), ('en', 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE FUNCTION help_search_index_revise() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO help_search_revisions AS r (locale, revision) VALUES (NEW.locale, 1)
  ON CONFLICT (locale) DO UPDATE SET revision = r.revision + 1
  RETURNING r.revision INTO NEW.revision;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER help_search_index_revise BEFORE INSERT OR UPDATE ON help_search_index
  FOR EACH ROW EXECUTE FUNCTION help_search_index_revise();
