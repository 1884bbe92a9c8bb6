ALTER TABLE "push_deliveries" DROP CONSTRAINT "push_deliveries_kind_check";--> statement-breakpoint
ALTER TABLE "callbacks" ADD COLUMN "reminded_attempt" integer;--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD COLUMN "push_callback_soon" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "push_deliveries" ADD CONSTRAINT "push_deliveries_kind_check" CHECK ("push_deliveries"."kind" in ('agent_reply', 'email_reply', 'resolved', 'waiting', 'callback_soon'));