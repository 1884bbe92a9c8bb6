ALTER TABLE "sandbox_acquirer_charges" ADD COLUMN "refund_reference" text;--> statement-breakpoint
ALTER TABLE "sandbox_acquirer_charges" ADD COLUMN "refunded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "wallet_transactions" ADD COLUMN "refund_status" text;--> statement-breakpoint
ALTER TABLE "wallet_transactions" ADD COLUMN "refunded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "top_ups" ADD COLUMN "refund_status" text;--> statement-breakpoint
ALTER TABLE "top_ups" ADD COLUMN "refund_reference" text;--> statement-breakpoint
ALTER TABLE "top_ups" ADD COLUMN "refunded_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "top_ups_refund_pending_idx" ON "top_ups" USING btree ("created_at") WHERE "top_ups"."refund_status" = 'pending';--> statement-breakpoint
ALTER TABLE "top_ups" ADD CONSTRAINT "top_ups_refund_status_check" CHECK ("top_ups"."refund_status" in ('pending', 'refunded', 'not_charged'));