CREATE TABLE "conversation_ratings" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"score" smallint NOT NULL,
	"reasons" text[] DEFAULT '{}'::text[] NOT NULL,
	"comment" text,
	"source" text NOT NULL,
	"agent_id" uuid,
	"needs_review" boolean DEFAULT false NOT NULL,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"ip_address" text,
	"user_agent" text,
	"rated_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"changeable_until" timestamp with time zone NOT NULL,
	CONSTRAINT "conversation_ratings_score_check" CHECK ("conversation_ratings"."score" between 1 and 5),
	CONSTRAINT "conversation_ratings_source_check" CHECK ("conversation_ratings"."source" in ('widget', 'email'))
);
--> statement-breakpoint
CREATE TABLE "rating_opt_outs" (
	"subject" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rating_surveys" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"status" text NOT NULL,
	"skip_reason" text,
	"customer_id" uuid,
	"visitor_id" uuid,
	"recipient_email" text,
	"locale" text NOT NULL,
	"agent_id" uuid,
	"token_hash" text,
	"send_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rating_surveys_channel_check" CHECK ("rating_surveys"."channel" in ('widget', 'email')),
	CONSTRAINT "rating_surveys_status_check" CHECK ("rating_surveys"."status" in ('scheduled', 'sent', 'answered', 'skipped'))
);
--> statement-breakpoint
CREATE TABLE "report_agent_presence" (
	"staff_id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"since" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_conversations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"state" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_facts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "report_facts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"metric" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"conversation_id" uuid,
	"channel" text NOT NULL,
	"category" text,
	"agent_id" uuid,
	"value" double precision,
	"business_value" double precision,
	"calendar_version" text
);
--> statement-breakpoint
CREATE TABLE "report_histograms" (
	"metric" text NOT NULL,
	"period" text NOT NULL,
	"dim_kind" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"dim_id" text NOT NULL,
	"scale" smallint NOT NULL,
	"counts" integer[] NOT NULL,
	CONSTRAINT "report_histograms_metric_period_dim_kind_period_start_dim_id_scale_pk" PRIMARY KEY("metric","period","dim_kind","period_start","dim_id","scale")
);
--> statement-breakpoint
CREATE TABLE "report_rollups" (
	"metric" text NOT NULL,
	"period" text NOT NULL,
	"dim_kind" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"dim_id" text NOT NULL,
	"channel" text NOT NULL,
	"count" bigint NOT NULL,
	"sum" double precision NOT NULL,
	"business_sum" double precision NOT NULL,
	CONSTRAINT "report_rollups_metric_period_dim_kind_period_start_dim_id_channel_pk" PRIMARY KEY("metric","period","dim_kind","period_start","dim_id","channel")
);
--> statement-breakpoint
CREATE TABLE "report_state" (
	"id" smallint PRIMARY KEY NOT NULL,
	"position" bigint NOT NULL,
	"time_zone" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversation_ratings" ADD CONSTRAINT "conversation_ratings_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_ratings" ADD CONSTRAINT "conversation_ratings_agent_id_staff_members_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."staff_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_ratings" ADD CONSTRAINT "conversation_ratings_reviewed_by_staff_members_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."staff_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_surveys" ADD CONSTRAINT "rating_surveys_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_surveys" ADD CONSTRAINT "rating_surveys_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_surveys" ADD CONSTRAINT "rating_surveys_agent_id_staff_members_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."staff_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversation_ratings_review_idx" ON "conversation_ratings" USING btree ("rated_at") WHERE "conversation_ratings"."needs_review";--> statement-breakpoint
CREATE UNIQUE INDEX "rating_surveys_token_key" ON "rating_surveys" USING btree ("token_hash") WHERE "rating_surveys"."token_hash" is not null;--> statement-breakpoint
CREATE INDEX "rating_surveys_customer_idx" ON "rating_surveys" USING btree ("customer_id","sent_at") WHERE "rating_surveys"."customer_id" is not null;--> statement-breakpoint
CREATE INDEX "rating_surveys_email_idx" ON "rating_surveys" USING btree ("recipient_email","sent_at") WHERE "rating_surveys"."recipient_email" is not null;--> statement-breakpoint
CREATE INDEX "rating_surveys_visitor_idx" ON "rating_surveys" USING btree ("visitor_id","sent_at") WHERE "rating_surveys"."visitor_id" is not null;--> statement-breakpoint
CREATE INDEX "report_facts_metric_idx" ON "report_facts" USING btree ("metric","occurred_at");--> statement-breakpoint
CREATE INDEX "report_facts_agent_idx" ON "report_facts" USING btree ("agent_id","metric","occurred_at") WHERE "report_facts"."agent_id" is not null;