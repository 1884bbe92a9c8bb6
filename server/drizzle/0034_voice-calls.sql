CREATE TABLE "voice_agent_lines" (
	"staff_id" uuid PRIMARY KEY NOT NULL,
	"call_id" uuid NOT NULL,
	"is_ringing" boolean NOT NULL,
	"since" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_calls" (
	"call_id" uuid PRIMARY KEY NOT NULL,
	"agent_id" uuid,
	"ringing_agent_id" uuid,
	"ring_until" timestamp with time zone,
	"waiting_since" timestamp with time zone,
	"queue_until" timestamp with time zone,
	"passed_over" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"is_on_hold" boolean DEFAULT false NOT NULL,
	"is_customer_muted" boolean DEFAULT false NOT NULL,
	"is_agent_muted" boolean DEFAULT false NOT NULL,
	"customer_seen_at" timestamp with time zone NOT NULL,
	"agent_seen_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "call_events" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "call_events" ADD COLUMN "staff_id" uuid;--> statement-breakpoint
ALTER TABLE "voice_agent_lines" ADD CONSTRAINT "voice_agent_lines_staff_id_staff_members_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_agent_lines" ADD CONSTRAINT "voice_agent_lines_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_calls" ADD CONSTRAINT "voice_calls_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_calls" ADD CONSTRAINT "voice_calls_agent_id_staff_members_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."staff_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_calls" ADD CONSTRAINT "voice_calls_ringing_agent_id_staff_members_id_fk" FOREIGN KEY ("ringing_agent_id") REFERENCES "public"."staff_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "voice_agent_lines_call_key" ON "voice_agent_lines" USING btree ("call_id");--> statement-breakpoint
CREATE INDEX "voice_calls_live_idx" ON "voice_calls" USING btree ("waiting_since") WHERE "voice_calls"."ended_at" is null;--> statement-breakpoint
ALTER TABLE "call_events" ADD CONSTRAINT "call_events_staff_id_staff_members_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_members"("id") ON DELETE no action ON UPDATE no action;