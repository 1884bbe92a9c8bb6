CREATE TABLE "email_addresses" (
	"address" text PRIMARY KEY NOT NULL,
	"undeliverable_since" timestamp with time zone,
	"bounce_status" text,
	"bounce_diagnostic" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"message_id" uuid,
	"direction" text NOT NULL,
	"kind" text NOT NULL,
	"internet_message_id" text NOT NULL,
	"in_reply_to" text,
	"references" text[] DEFAULT '{}'::text[] NOT NULL,
	"from_address" text NOT NULL,
	"recipient" text NOT NULL,
	"cc" text[] DEFAULT '{}'::text[] NOT NULL,
	"subject" text NOT NULL,
	"quoted" text,
	"quoted_redactions" jsonb,
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"inbound_email_id" uuid,
	"bounce_token" text,
	"thread_index" text,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_messages_direction_check" CHECK ("email_messages"."direction" in ('inbound', 'outbound')),
	CONSTRAINT "email_messages_kind_check" CHECK ("email_messages"."kind" in ('message', 'reply', 'acknowledgement')),
	CONSTRAINT "email_messages_status_check" CHECK ("email_messages"."status" in ('received', 'queued', 'sent', 'failed', 'bounced'))
);
--> statement-breakpoint
CREATE TABLE "email_threads" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"reply_token" text NOT NULL,
	"customer_address" text NOT NULL,
	"thread_guid" text,
	"thread_index" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_emails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"source" text NOT NULL,
	"envelope_from" text,
	"envelope_to" text[] NOT NULL,
	"remote_address" text,
	"raw" "bytea",
	"raw_sha256" "bytea" NOT NULL,
	"size" integer NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"outcome" text,
	"conversation_id" uuid,
	"flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"processed_at" timestamp with time zone,
	CONSTRAINT "inbound_emails_status_check" CHECK ("inbound_emails"."status" in ('received', 'processing', 'processed', 'ignored', 'failed')),
	CONSTRAINT "inbound_emails_source_check" CHECK ("inbound_emails"."source" in ('smtp', 'webhook'))
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "reference" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "response_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "email_messages" ADD CONSTRAINT "email_messages_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_messages" ADD CONSTRAINT "email_messages_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_messages" ADD CONSTRAINT "email_messages_inbound_email_id_inbound_emails_id_fk" FOREIGN KEY ("inbound_email_id") REFERENCES "public"."inbound_emails"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_threads" ADD CONSTRAINT "email_threads_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD CONSTRAINT "inbound_emails_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_messages_internet_id_idx" ON "email_messages" USING btree ("internet_message_id");--> statement-breakpoint
CREATE INDEX "email_messages_conversation_idx" ON "email_messages" USING btree ("conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "email_messages_message_idx" ON "email_messages" USING btree ("message_id") WHERE "email_messages"."message_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "email_messages_bounce_token_key" ON "email_messages" USING btree ("bounce_token") WHERE "email_messages"."bounce_token" is not null;--> statement-breakpoint
CREATE INDEX "email_messages_acknowledgements_idx" ON "email_messages" USING btree ("recipient","created_at") WHERE "email_messages"."kind" = 'acknowledgement';--> statement-breakpoint
CREATE UNIQUE INDEX "email_threads_reply_token_key" ON "email_threads" USING btree ("reply_token");--> statement-breakpoint
CREATE INDEX "email_threads_thread_guid_idx" ON "email_threads" USING btree ("thread_guid") WHERE "email_threads"."thread_guid" is not null;--> statement-breakpoint
CREATE INDEX "email_threads_customer_address_idx" ON "email_threads" USING btree ("customer_address");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_emails_raw_sha256_key" ON "inbound_emails" USING btree ("raw_sha256");--> statement-breakpoint
CREATE INDEX "inbound_emails_pending_idx" ON "inbound_emails" USING btree ("received_at") WHERE "inbound_emails"."status" in ('received', 'processing');--> statement-breakpoint
CREATE INDEX "inbound_emails_received_idx" ON "inbound_emails" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_reference_key" ON "conversations" USING btree ("reference") WHERE "conversations"."reference" is not null;--> statement-breakpoint
CREATE INDEX "conversations_response_due_idx" ON "conversations" USING btree ("response_due_at") WHERE "conversations"."response_due_at" is not null;