CREATE TABLE "business_calendar_days" (
	"calendar_name" text NOT NULL,
	"date" date NOT NULL,
	"periods" jsonb NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "business_calendar_days_calendar_name_date_pk" PRIMARY KEY("calendar_name","date")
);
--> statement-breakpoint
CREATE TABLE "business_calendars" (
	"name" text PRIMARY KEY NOT NULL,
	"time_zone" text NOT NULL,
	"weekly_periods" jsonb NOT NULL,
	"follows_china_holidays" boolean NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "support_channel_calendars" (
	"channel" text PRIMARY KEY NOT NULL,
	"calendar_name" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
ALTER TABLE "business_calendar_days" ADD CONSTRAINT "business_calendar_days_created_by_staff_members_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business_calendars" ADD CONSTRAINT "business_calendars_updated_by_staff_members_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_channel_calendars" ADD CONSTRAINT "support_channel_calendars_updated_by_staff_members_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff_members"("id") ON DELETE no action ON UPDATE no action;