CREATE TABLE "call_recordings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_id" uuid NOT NULL,
	"source" text NOT NULL,
	"state" text NOT NULL,
	"provider_url" text,
	"provider_recording_id" text,
	"mime_type" text,
	"size" integer,
	"duration_ms" integer,
	"sha256" text,
	"data" "bytea",
	"fetch_attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"stored_at" timestamp with time zone,
	"expired_at" timestamp with time zone,
	CONSTRAINT "call_recordings_state_check" CHECK ("call_recordings"."state" in ('pending', 'stored', 'failed', 'expired')),
	CONSTRAINT "call_recordings_source_check" CHECK ("call_recordings"."source" in ('browser', 'provider')),
	CONSTRAINT "call_recordings_bytes_check" CHECK (("call_recordings"."state" = 'stored') = ("call_recordings"."data" is not null))
);
--> statement-breakpoint
ALTER TABLE "call_recordings" ADD CONSTRAINT "call_recordings_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_recordings_call_idx" ON "call_recordings" USING btree ("call_id");--> statement-breakpoint
CREATE UNIQUE INDEX "call_recordings_provider_key" ON "call_recordings" USING btree ("call_id","provider_recording_id") WHERE "call_recordings"."provider_recording_id" is not null;--> statement-breakpoint
CREATE INDEX "call_recordings_retention_idx" ON "call_recordings" USING btree ("created_at") WHERE "call_recordings"."state" <> 'expired';--> statement-breakpoint
-- Audio is compressed already; uncompressed out-of-line storage lets substring() read a byte range without the rest.
ALTER TABLE "call_recordings" ALTER COLUMN "data" SET STORAGE EXTERNAL;