ALTER TABLE "conversations" ADD COLUMN "returned_by" uuid;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "returned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_returned_by_staff_members_id_fk" FOREIGN KEY ("returned_by") REFERENCES "public"."staff_members"("id") ON DELETE no action ON UPDATE no action;