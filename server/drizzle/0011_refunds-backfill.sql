-- Stored answers of top-up requests from before refunds existed lack the `refund` field that the
-- top-up response schema now requires; a replay of such a key would fail to serialise.
UPDATE idempotency_keys SET response_body = response_body || '{"refund": null}'::jsonb
WHERE jsonb_typeof(response_body) = 'object' AND response_body ? 'card' AND NOT response_body ? 'refund';--> statement-breakpoint
-- Charges flagged for a refund before the refund job existed are owed back like any other.
UPDATE top_ups SET refund_status = 'pending'
WHERE status = 'failed' AND refund_status IS NULL
  AND id::text IN (SELECT subject_id FROM domain_events WHERE type = 'wallet.top-up.refund-needed' AND subject_type = 'top_up');--> statement-breakpoint
UPDATE wallet_transactions w SET refund_status = 'pending'
FROM top_ups t
WHERE w.top_up_id = t.id AND w.type = 'top_up' AND t.refund_status = 'pending' AND w.refund_status IS NULL;
