CREATE TABLE "sla_clocks" (
	"conversation_id" uuid NOT NULL,
	"target" text NOT NULL,
	"policy_name" text NOT NULL,
	"clock" text NOT NULL,
	"calendar_name" text,
	"target_ms" bigint NOT NULL,
	"cycle" integer NOT NULL,
	"state" text NOT NULL,
	"paused_reason" text,
	"started_at" timestamp with time zone NOT NULL,
	"resumed_at" timestamp with time zone,
	"elapsed_ms" bigint NOT NULL,
	"due_at" timestamp with time zone,
	"warn_at" timestamp with time zone,
	"stopped_at" timestamp with time zone,
	"warned_cycle" integer DEFAULT 0 NOT NULL,
	"breached_cycle" integer DEFAULT 0 NOT NULL,
	"announced_cycle" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sla_clocks_conversation_id_target_pk" PRIMARY KEY("conversation_id","target"),
	CONSTRAINT "sla_clocks_state_check" CHECK ("sla_clocks"."state" in ('running', 'paused', 'met', 'breached', 'cancelled')),
	CONSTRAINT "sla_clocks_target_check" CHECK ("sla_clocks"."target" in ('first_reply', 'next_reply', 'resolution'))
);
--> statement-breakpoint
CREATE TABLE "sla_conversations" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"priority" text NOT NULL,
	"category" text NOT NULL,
	"status" text NOT NULL,
	"has_agent_replied" boolean DEFAULT false NOT NULL,
	"created_event_id" bigint,
	"rules_version" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"name" text PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"priority" text,
	"category" text,
	"first_reply" jsonb,
	"next_reply" jsonb,
	"resolution" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "sla_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "sla_risk" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_clocks" ADD CONSTRAINT "sla_clocks_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_conversations" ADD CONSTRAINT "sla_conversations_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_updated_by_staff_members_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sla_clocks_due_idx" ON "sla_clocks" USING btree ("due_at") WHERE "sla_clocks"."state" = 'running' and "sla_clocks"."breached_cycle" < "sla_clocks"."cycle";--> statement-breakpoint
CREATE INDEX "sla_clocks_warn_idx" ON "sla_clocks" USING btree ("warn_at") WHERE "sla_clocks"."state" = 'running' and "sla_clocks"."warned_cycle" < "sla_clocks"."cycle";--> statement-breakpoint
CREATE INDEX "sla_conversations_rules_idx" ON "sla_conversations" USING btree ("rules_version") WHERE "sla_conversations"."status" in ('open', 'pending');