-- Messages left in the widget while nobody was online are email conversations now: answered by
-- threaded mail with a ticket reference. Those left before keep their place, get a reference,
-- and their replies go out the same way.
UPDATE conversations c
SET channel = 'email',
    reference = (
      SELECT string_agg(substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + floor(random() * 32)::int, 1), '')
      FROM generate_series(1, 6 + 0 * length(c.id::text))
    )
WHERE c.is_offline_message AND c.channel = 'chat' AND c.reference IS NULL;
