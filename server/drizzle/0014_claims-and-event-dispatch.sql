CREATE TABLE "event_dead_letters" (
	"subscription" text NOT NULL,
	"event_id" bigint NOT NULL,
	"error" text NOT NULL,
	"attempts" integer NOT NULL,
	"failed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retry_requested_at" timestamp with time zone,
	CONSTRAINT "event_dead_letters_subscription_event_id_pk" PRIMARY KEY("subscription","event_id")
);
--> statement-breakpoint
CREATE TABLE "event_subscriptions" (
	"name" text PRIMARY KEY NOT NULL,
	"position" bigint DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"retry_at" timestamp with time zone,
	"last_error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "domain_events_subject_idx";--> statement-breakpoint
DROP INDEX "domain_events_type_idx";--> statement-breakpoint
ALTER TABLE "domain_events" ADD COLUMN "position" bigint;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "claim_token" uuid;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "claimed_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "event_dead_letters" ADD CONSTRAINT "event_dead_letters_subscription_event_subscriptions_name_fk" FOREIGN KEY ("subscription") REFERENCES "public"."event_subscriptions"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_dead_letters" ADD CONSTRAINT "event_dead_letters_event_id_domain_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."domain_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "domain_events_position_key" ON "domain_events" USING btree ("position");--> statement-breakpoint
CREATE INDEX "domain_events_unpositioned_idx" ON "domain_events" USING btree ("id") WHERE "domain_events"."position" IS NULL;