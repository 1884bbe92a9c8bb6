CREATE TABLE "shared_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transcript_addresses" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"code_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"verified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fx_rate_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"currency" char(3) NOT NULL,
	"from_units_per_usd" numeric(24, 10),
	"to_units_per_usd" numeric(24, 10) NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"proposed_by" uuid NOT NULL,
	"proposal_note" text,
	"proposed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decision_note" text,
	"decided_at" timestamp with time zone,
	CONSTRAINT "fx_rate_changes_status_check" CHECK ("fx_rate_changes"."status" in ('pending', 'approved', 'rejected')),
	CONSTRAINT "fx_rate_changes_four_eyes" CHECK ("fx_rate_changes"."decided_by" is null or "fx_rate_changes"."decided_by" <> "fx_rate_changes"."proposed_by"),
	CONSTRAINT "fx_rate_changes_positive" CHECK ("fx_rate_changes"."to_units_per_usd" > 0)
);
--> statement-breakpoint
ALTER TABLE "transcript_addresses" ADD CONSTRAINT "transcript_addresses_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fx_rate_changes" ADD CONSTRAINT "fx_rate_changes_proposed_by_staff_members_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."staff_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fx_rate_changes" ADD CONSTRAINT "fx_rate_changes_decided_by_staff_members_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "fx_rate_changes_one_pending_key" ON "fx_rate_changes" USING btree ("currency") WHERE "fx_rate_changes"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "fx_rate_changes_proposed_idx" ON "fx_rate_changes" USING btree ("proposed_at");