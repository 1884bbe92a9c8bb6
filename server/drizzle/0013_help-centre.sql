-- Trigram similarity for typo-tolerant matching; trusted since PostgreSQL 13, so the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "help_article_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"article_id" uuid NOT NULL,
	"locale" text NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"body" text NOT NULL,
	"keywords" text[] DEFAULT '{}'::text[] NOT NULL,
	"origin" text NOT NULL,
	"content_hash" text,
	"author_id" uuid,
	"reviewer_id" uuid,
	"review_note" text,
	"source_version" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	CONSTRAINT "help_article_versions_locale_check" CHECK ("help_article_versions"."locale" in ('zh-CN', 'en')),
	CONSTRAINT "help_article_versions_status_check" CHECK ("help_article_versions"."status" in ('draft', 'in_review', 'published', 'superseded')),
	CONSTRAINT "help_article_versions_origin_check" CHECK ("help_article_versions"."origin" in ('file', 'staff', 'conversation')),
	CONSTRAINT "help_article_versions_reviewer_check" CHECK ("help_article_versions"."reviewer_id" is null or "help_article_versions"."author_id" is null or "help_article_versions"."reviewer_id" <> "help_article_versions"."author_id")
);
--> statement-breakpoint
CREATE TABLE "help_articles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"category" text NOT NULL,
	"source_locale" text DEFAULT 'zh-CN' NOT NULL,
	"related" text[] DEFAULT '{}'::text[] NOT NULL,
	"position" integer DEFAULT 100 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "help_articles_category_check" CHECK ("help_articles"."category" in ('account', 'top_up_cards', 'transfers_exchange', 'history', 'contact'))
);
--> statement-breakpoint
CREATE TABLE "help_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"article_id" uuid NOT NULL,
	"locale" text NOT NULL,
	"is_helpful" boolean NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "help_images" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"article_id" uuid,
	"content_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "help_search_index" (
	"article_id" uuid NOT NULL,
	"locale" text NOT NULL,
	"version_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"category" text NOT NULL,
	"position" integer DEFAULT 100 NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"html" text NOT NULL,
	"plain_text" text NOT NULL,
	"title_tokens" text NOT NULL,
	"keyword_tokens" text NOT NULL,
	"body_tokens" text NOT NULL,
	"title_normalised" text NOT NULL,
	"document" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, "help_search_index"."title_tokens"), 'A') || setweight(to_tsvector('simple'::regconfig, "help_search_index"."keyword_tokens"), 'B') || setweight(to_tsvector('simple'::regconfig, "help_search_index"."body_tokens"), 'C')) STORED NOT NULL,
	"head_document" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, "help_search_index"."title_tokens"), 'A') || setweight(to_tsvector('simple'::regconfig, "help_search_index"."keyword_tokens"), 'B')) STORED NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "help_search_index_article_id_locale_pk" PRIMARY KEY("article_id","locale")
);
--> statement-breakpoint
CREATE TABLE "help_search_terms" (
	"locale" text NOT NULL,
	"term" text NOT NULL,
	"pinyin" text,
	"documents" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "help_search_terms_locale_term_pk" PRIMARY KEY("locale","term")
);
--> statement-breakpoint
CREATE TABLE "help_suggestions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"surface" text NOT NULL,
	"locale" text NOT NULL,
	"query" text NOT NULL,
	"shown_slugs" text[] DEFAULT '{}'::text[] NOT NULL,
	"opened_slugs" text[] DEFAULT '{}'::text[] NOT NULL,
	"customer_id" uuid,
	"visitor_id" uuid,
	"conversation_id" uuid,
	"shown_at" timestamp with time zone NOT NULL,
	"opened_at" timestamp with time zone,
	"chat_started_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "help_suggestions_surface_check" CHECK ("help_suggestions"."surface" in ('composer', 'pre_chat'))
);
--> statement-breakpoint
ALTER TABLE "staff_members" DROP CONSTRAINT "staff_members_role_check";--> statement-breakpoint
ALTER TABLE "help_article_versions" ADD CONSTRAINT "help_article_versions_article_id_help_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."help_articles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_article_versions" ADD CONSTRAINT "help_article_versions_author_id_staff_members_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."staff_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_article_versions" ADD CONSTRAINT "help_article_versions_reviewer_id_staff_members_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."staff_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_feedback" ADD CONSTRAINT "help_feedback_article_id_help_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."help_articles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_images" ADD CONSTRAINT "help_images_article_id_help_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."help_articles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_images" ADD CONSTRAINT "help_images_uploaded_by_staff_members_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."staff_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_search_index" ADD CONSTRAINT "help_search_index_article_id_help_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."help_articles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_search_index" ADD CONSTRAINT "help_search_index_version_id_help_article_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."help_article_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_suggestions" ADD CONSTRAINT "help_suggestions_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_suggestions" ADD CONSTRAINT "help_suggestions_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "help_article_versions_number_key" ON "help_article_versions" USING btree ("article_id","locale","version");--> statement-breakpoint
CREATE UNIQUE INDEX "help_article_versions_one_published" ON "help_article_versions" USING btree ("article_id","locale") WHERE "help_article_versions"."status" = 'published';--> statement-breakpoint
CREATE UNIQUE INDEX "help_article_versions_one_pending" ON "help_article_versions" USING btree ("article_id","locale") WHERE "help_article_versions"."status" in ('draft', 'in_review');--> statement-breakpoint
CREATE UNIQUE INDEX "help_articles_slug_key" ON "help_articles" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "help_feedback_article_idx" ON "help_feedback" USING btree ("article_id","locale");--> statement-breakpoint
CREATE INDEX "help_search_index_document_idx" ON "help_search_index" USING gin ("document");--> statement-breakpoint
CREATE INDEX "help_search_index_head_idx" ON "help_search_index" USING gin ("head_document");--> statement-breakpoint
CREATE INDEX "help_search_index_title_trgm_idx" ON "help_search_index" USING gin ("title_normalised" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "help_search_index_list_idx" ON "help_search_index" USING btree ("locale","position","slug");--> statement-breakpoint
CREATE INDEX "help_search_terms_pinyin_idx" ON "help_search_terms" USING btree ("locale","pinyin") WHERE "help_search_terms"."pinyin" is not null;--> statement-breakpoint
CREATE INDEX "help_search_terms_trgm_idx" ON "help_search_terms" USING gin ("term" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "help_suggestions_shown_idx" ON "help_suggestions" USING btree ("shown_at");--> statement-breakpoint
ALTER TABLE "staff_members" ADD CONSTRAINT "staff_members_role_check" CHECK ("staff_members"."role" in ('agent', 'supervisor', 'admin', 'editor'));