DROP INDEX "help_search_index_document_idx";--> statement-breakpoint
DROP INDEX "help_search_index_head_idx";--> statement-breakpoint
DROP INDEX "help_search_index_title_trgm_idx";--> statement-breakpoint
ALTER TABLE "help_search_index" DROP COLUMN "head_document";