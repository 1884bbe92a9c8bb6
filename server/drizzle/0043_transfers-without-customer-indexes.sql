DROP INDEX "transfers_sender_idx";--> statement-breakpoint
DROP INDEX "transfers_recipient_idx";