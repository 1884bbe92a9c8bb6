-- Report indexes for one agent's (or category's, or channel's) year and for the team's days. The
-- INCLUDE columns let each be read from the index alone; Drizzle's index builder has no INCLUDE, so
-- the schema names the key columns only.
DROP INDEX "report_rollups_period_idx";--> statement-breakpoint
CREATE INDEX "report_rollups_period_idx" ON "report_rollups" USING btree ("period","dim_kind","metric","period_start") INCLUDE ("dim_id","channel","count","sum","business_sum");--> statement-breakpoint
CREATE INDEX "report_rollups_dim_idx" ON "report_rollups" USING btree ("dim_kind","dim_id","metric","period","period_start") INCLUDE ("channel","count","sum","business_sum") WHERE "report_rollups"."dim_kind" <> 'all';--> statement-breakpoint
CREATE INDEX "report_histograms_dim_idx" ON "report_histograms" USING btree ("dim_kind","dim_id","metric","period","period_start") WHERE "report_histograms"."dim_kind" <> 'all';--> statement-breakpoint
DROP INDEX "report_facts_agent_idx";--> statement-breakpoint
CREATE INDEX "report_facts_agent_idx" ON "report_facts" USING btree ("agent_id","metric","occurred_at") INCLUDE ("channel","category","value","business_value") WHERE "report_facts"."agent_id" is not null;
