CREATE TABLE "help_search_revisions" (
	"locale" text PRIMARY KEY NOT NULL,
	"revision" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "help_search_index" ADD COLUMN "revision" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "help_search_index_revision_idx" ON "help_search_index" USING btree ("locale","revision");