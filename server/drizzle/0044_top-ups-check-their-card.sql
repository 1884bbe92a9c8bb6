-- The first phase of a top-up checks its card itself: the card must be the customer's, active and
-- not expired in p_month (year * 12 + month in the operator's time zone, the rule of
-- isCardExpired), so a fresh top-up costs no statement of its own for its card. A card refused
-- here gets outcome 'card_refused' with nothing written and no key claimed: the request goes the
-- long way, which claims its key first and then names the refusal. A started top-up is returned
-- with its card (the bank charges the card's token). Otherwise as migration 0033: a key asked for
-- twice in one call is claimed by its first request. Outcomes, in order: 'card_refused' first (it
-- decides before anything else), then 'key_taken', 'claim_lost', 'account_frozen'; else 'started'.
-- The form of migration 0033 (eleven arguments, the caller checks the card) stays beside this one,
-- so nodes of the previous version keep topping up while the nodes restart one at a time; a later
-- migration drops it.
CREATE FUNCTION okpay_begin_top_ups(
  p_ids uuid[], p_customers uuid[], p_cards uuid[], p_amounts bigint[], p_currencies text[], p_at timestamptz,
  p_month int, p_keys text[], p_hashes text[], p_tokens uuid[])
RETURNS TABLE (outcome text, top_up jsonb, card jsonb)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
DECLARE
  n int := coalesce(array_length(p_ids, 1), 0);
  v_outcome text[] := array_fill(NULL::text, ARRAY[n]);
  v_card jsonb[];
  v_claimed int[];
  v_frozen boolean[];
BEGIN
  IF n = 0 THEN
    RETURN;
  END IF;
  IF array_length(p_customers, 1) IS DISTINCT FROM n OR array_length(p_cards, 1) IS DISTINCT FROM n
     OR array_length(p_amounts, 1) IS DISTINCT FROM n OR array_length(p_currencies, 1) IS DISTINCT FROM n
     OR array_length(p_keys, 1) IS DISTINCT FROM n OR array_length(p_hashes, 1) IS DISTINCT FROM n
     OR array_length(p_tokens, 1) IS DISTINCT FROM n OR p_month IS NULL THEN
    RAISE EXCEPTION 'okpay_begin_top_ups needs one value of each field per top-up' USING ERRCODE = 'OKP03';
  END IF;
  -- One index probe per top-up for its card and one for a freeze, however large the tables grow.
  SELECT array_agg((SELECT to_jsonb(c) FROM cards c
                    WHERE c.id = w.card_id AND c.customer_id = w.customer_id AND c.status = 'active'
                      AND c.exp_year * 12 + c.exp_month >= p_month) ORDER BY w.i),
         array_agg((SELECT true FROM customer_freezes f WHERE f.customer_id = w.customer_id AND f.lifted_at IS NULL LIMIT 1) IS NOT NULL
                   ORDER BY w.i)
    INTO v_card, v_frozen
  FROM unnest(p_customers, p_cards) WITH ORDINALITY AS w(customer_id, card_id, i);
  FOR i IN 1 .. n LOOP
    IF v_card[i] IS NULL THEN
      v_outcome[i] := 'card_refused';
    END IF;
  END LOOP;
  -- A key asked for twice in one call is claimed by its first request only; the repeat finds it taken.
  WITH firsts AS (
    SELECT DISTINCT ON (p_customers[w.i], p_keys[w.i]) w.i
    FROM generate_series(1, n) AS w(i) WHERE p_hashes[w.i] IS NOT NULL AND v_outcome[w.i] IS NULL
    ORDER BY p_customers[w.i], p_keys[w.i], w.i),
  claimed AS (
    INSERT INTO idempotency_keys (customer_id, key, request_hash, claim_token, claimed_at, created_at)
    SELECT p_customers[f.i], p_keys[f.i], p_hashes[f.i], p_tokens[f.i], p_at, p_at FROM firsts f
    ORDER BY p_customers[f.i], p_keys[f.i]
    ON CONFLICT (customer_id, key) DO NOTHING
    RETURNING customer_id, key)
  SELECT array_agg(f.i) INTO v_claimed
  FROM firsts f JOIN claimed c ON c.customer_id = p_customers[f.i] AND c.key = p_keys[f.i];
  FOR i IN 1 .. n LOOP
    IF v_outcome[i] IS NOT NULL THEN
      CONTINUE;
    END IF;
    IF p_hashes[i] IS NOT NULL THEN
      IF NOT (i = ANY (coalesce(v_claimed, '{}'))) THEN
        v_outcome[i] := 'key_taken';
      END IF;
    ELSIF p_tokens[i] IS NOT NULL THEN
      PERFORM 1 FROM idempotency_keys k
        WHERE k.customer_id = p_customers[i] AND k.key = p_keys[i] AND k.claim_token = p_tokens[i] AND k.state = 'in_progress' FOR UPDATE;
      IF NOT FOUND THEN
        v_outcome[i] := 'claim_lost';
      END IF;
    END IF;
    -- A frozen account receives nothing, so its card is never charged; a claim made for it now is withdrawn.
    IF v_outcome[i] IS NULL AND v_frozen[i] THEN
      v_outcome[i] := 'account_frozen';
      IF p_hashes[i] IS NOT NULL THEN
        DELETE FROM idempotency_keys k WHERE k.customer_id = p_customers[i] AND k.key = p_keys[i];
      END IF;
    END IF;
  END LOOP;
  INSERT INTO top_ups (id, customer_id, card_id, amount, currency, status, attempts, idempotency_key, created_at)
  SELECT p_ids[w.i], p_customers[w.i], p_cards[w.i], p_amounts[w.i], p_currencies[w.i], 'pending', 1, p_keys[w.i], p_at
  FROM generate_series(1, n) AS w(i) WHERE v_outcome[w.i] IS NULL ORDER BY w.i;
  INSERT INTO wallet_transactions (customer_id, type, status, amount, currency, top_up_id, card_last4, details, created_at)
  SELECT p_customers[w.i], 'top_up', 'pending', p_amounts[w.i], p_currencies[w.i], p_ids[w.i], v_card[w.i] ->> 'last4',
         jsonb_build_object('cardId', p_cards[w.i], 'brand', v_card[w.i] ->> 'brand'), p_at
  FROM generate_series(1, n) AS w(i) WHERE v_outcome[w.i] IS NULL ORDER BY w.i;
  RETURN QUERY
  SELECT coalesce(w.outcome, 'started'),
         CASE WHEN w.outcome IS NULL THEN (SELECT to_jsonb(t) FROM top_ups t WHERE t.id = w.id) END,
         CASE WHEN w.outcome IS NULL THEN v_card[w.i] END
  FROM unnest(p_ids, v_outcome) WITH ORDINALITY AS w(id, outcome, i)
  ORDER BY w.i;
END;
$$;
