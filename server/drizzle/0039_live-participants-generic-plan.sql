-- The realtime handshake's lookup (who is behind each token, whether the session it was fetched
-- over has ended), as a function that keeps one generic plan. Sent as a named statement it was
-- planned again on every call (PostgreSQL kept choosing custom plans for its parameter arrays):
-- in a reconnect storm, planning took about five times as long as executing.
-- Nested loops through the primary keys and the sessions' index, whatever the batch's size: the
-- generic plan cannot see how many tokens came, and hashing 10,000 customers to find three is slower.
-- One row per position of the arrays (1-based `index`); `name` is null when nobody is behind it.
CREATE FUNCTION okpay_live_participants(p_public_ids text[], p_customer_ids uuid[], p_staff_ids uuid[], p_now timestamptz)
RETURNS TABLE (index bigint, name text, role text, is_active boolean, session_ended boolean)
LANGUAGE sql
STABLE
SET plan_cache_mode = force_generic_plan
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
  SELECT s.index, coalesce(c.display_name, m.display_name), m.role, m.is_active,
         s.public_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM sessions live WHERE live.customer_id = s.customer_id AND left(live.id, 16) = s.public_id
                             AND live.revoked_at IS NULL AND live.expires_at > p_now)
           AND NOT EXISTS (SELECT 1 FROM sessions live WHERE live.staff_id = s.staff_id AND left(live.id, 16) = s.public_id
                             AND live.revoked_at IS NULL AND live.expires_at > p_now)
  FROM unnest(p_public_ids, p_customer_ids, p_staff_ids) WITH ORDINALITY AS s(public_id, customer_id, staff_id, index)
  LEFT JOIN customers c ON c.id = s.customer_id
  LEFT JOIN staff_members m ON m.id = s.staff_id
$$;
