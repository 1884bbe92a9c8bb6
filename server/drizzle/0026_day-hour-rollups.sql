CREATE TABLE "report_day_hours" (
	"metric" text NOT NULL,
	"day_start" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"counts" bigint[] NOT NULL,
	"sums" double precision[] NOT NULL,
	"business_sums" double precision[] NOT NULL,
	CONSTRAINT "report_day_hours_metric_day_start_channel_pk" PRIMARY KEY("metric","day_start","channel")
);
--> statement-breakpoint
CREATE INDEX "report_facts_channel_idx" ON "report_facts" USING btree ("metric","channel","occurred_at");--> statement-breakpoint
CREATE INDEX "report_rollups_period_idx" ON "report_rollups" USING btree ("period","dim_kind","period_start","metric");--> statement-breakpoint
-- The days already folded get their hours from their half hours, cut in the zone the reports were built in.
WITH zone AS (SELECT coalesce((SELECT time_zone FROM report_state WHERE id = 1), 'UTC') AS name),
hourly AS (
	SELECT r.metric, r.channel, date_trunc('day', r.period_start, zone.name) AS day_start,
		extract(hour FROM r.period_start AT TIME ZONE zone.name)::int AS hour,
		sum(r.count) AS count, sum(r.sum) AS sum, sum(r.business_sum) AS business_sum
	FROM report_rollups r CROSS JOIN zone
	WHERE r.period = 'slot' AND r.dim_kind = 'all'
	GROUP BY 1, 2, 3, 4
),
days AS (SELECT DISTINCT metric, channel, day_start FROM hourly)
INSERT INTO "report_day_hours" ("metric", "day_start", "channel", "counts", "sums", "business_sums")
SELECT d.metric, d.day_start, d.channel,
	array_agg(coalesce(h.count, 0)::bigint ORDER BY g.hour),
	array_agg(coalesce(h.sum, 0)::float8 ORDER BY g.hour),
	array_agg(coalesce(h.business_sum, 0)::float8 ORDER BY g.hour)
FROM days d CROSS JOIN generate_series(0, 23) AS g(hour)
LEFT JOIN hourly h ON h.metric = d.metric AND h.channel = d.channel AND h.day_start = d.day_start AND h.hour = g.hour
GROUP BY d.metric, d.day_start, d.channel;
