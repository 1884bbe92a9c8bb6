-- Many top-ups' first phase in one call and one commit (a node's group commit sends what arrived
-- while its earlier batches were committing). Per top-up: the request's Idempotency-Key claimed
-- together with the pending top-up and its history row, so a duplicate meanwhile finds both or
-- neither. The caller has found and checked each card (active, not expired, the amount within the
-- limit) and chosen the top-up ids. p_keys is recorded on the top-ups; with p_hashes[i] the key is
-- claimed now (with p_tokens[i]); with only p_tokens[i] it was claimed before and must still be held
-- by that token (locked until the commit, so a takeover sees either no top-up or this one).
-- Outcomes, in order: 'started' (with the top-up's row), 'key_taken' (the caller answers from the
-- key, also what a repeat of a key earlier in the same call hears), 'account_frozen' or
-- 'claim_lost' (nothing written for it).
CREATE FUNCTION okpay_begin_top_ups(
  p_ids uuid[], p_customers uuid[], p_cards uuid[], p_amounts bigint[], p_currencies text[], p_at timestamptz,
  p_card_last4 text[], p_card_brands text[], p_keys text[], p_hashes text[], p_tokens uuid[])
RETURNS TABLE (outcome text, top_up jsonb)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
DECLARE
  n int := coalesce(array_length(p_ids, 1), 0);
  v_outcome text[] := array_fill(NULL::text, ARRAY[n]);
  v_claimed int[];
  v_frozen boolean[];
BEGIN
  IF n = 0 THEN
    RETURN;
  END IF;
  IF array_length(p_customers, 1) IS DISTINCT FROM n OR array_length(p_cards, 1) IS DISTINCT FROM n
     OR array_length(p_amounts, 1) IS DISTINCT FROM n OR array_length(p_currencies, 1) IS DISTINCT FROM n
     OR array_length(p_card_last4, 1) IS DISTINCT FROM n OR array_length(p_card_brands, 1) IS DISTINCT FROM n
     OR array_length(p_keys, 1) IS DISTINCT FROM n OR array_length(p_hashes, 1) IS DISTINCT FROM n
     OR array_length(p_tokens, 1) IS DISTINCT FROM n THEN
    RAISE EXCEPTION 'okpay_begin_top_ups needs one value of each field per top-up' USING ERRCODE = 'OKP03';
  END IF;
  -- A key asked for twice in one call is claimed by its first request only; the repeat finds it taken.
  WITH firsts AS (
    SELECT DISTINCT ON (p_customers[w.i], p_keys[w.i]) w.i
    FROM generate_series(1, n) AS w(i) WHERE p_hashes[w.i] IS NOT NULL
    ORDER BY p_customers[w.i], p_keys[w.i], w.i),
  claimed AS (
    INSERT INTO idempotency_keys (customer_id, key, request_hash, claim_token, claimed_at, created_at)
    SELECT p_customers[f.i], p_keys[f.i], p_hashes[f.i], p_tokens[f.i], p_at, p_at FROM firsts f
    ORDER BY p_customers[f.i], p_keys[f.i]
    ON CONFLICT (customer_id, key) DO NOTHING
    RETURNING customer_id, key)
  SELECT array_agg(f.i) INTO v_claimed
  FROM firsts f JOIN claimed c ON c.customer_id = p_customers[f.i] AND c.key = p_keys[f.i];
  SELECT array_agg((SELECT true FROM customer_freezes f WHERE f.customer_id = w.customer_id AND f.lifted_at IS NULL LIMIT 1) IS NOT NULL
                   ORDER BY w.i)
    INTO v_frozen
  FROM unnest(p_customers) WITH ORDINALITY AS w(customer_id, i);
  FOR i IN 1 .. n LOOP
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
  SELECT p_customers[w.i], 'top_up', 'pending', p_amounts[w.i], p_currencies[w.i], p_ids[w.i], p_card_last4[w.i],
         jsonb_build_object('cardId', p_cards[w.i], 'brand', p_card_brands[w.i]), p_at
  FROM generate_series(1, n) AS w(i) WHERE v_outcome[w.i] IS NULL ORDER BY w.i;
  RETURN QUERY
  SELECT coalesce(w.outcome, 'started'), CASE WHEN w.outcome IS NULL THEN (SELECT to_jsonb(t) FROM top_ups t WHERE t.id = w.id) END
  FROM unnest(p_ids, v_outcome) WITH ORDINALITY AS w(id, outcome, i)
  ORDER BY w.i;
END;
$$;
--> statement-breakpoint
-- Many charged top-ups credited in one call and one commit. The pending top-ups are locked first,
-- in id order: whoever moves one out of pending credits it, so the request and any number of
-- reconciliation runs credit it exactly once. Each customer's account (opened where missing,
-- frozen if the customer is) and, per currency, one acquirer-clearing sub-account that no other
-- transaction holds right now (SKIP LOCKED, in an order of the batch's own; when all are held, one
-- is waited for) go to okpay_post_pairs, which refuses a frozen account; concurrent top-ups thus
-- never queue on one clearing row. Then the top-ups and their history rows completed, the outbox
-- events and, where given, each request's answer stored under its Idempotency-Key. p_at: when the
-- bank answered for each.
-- With p_require_verified, a top-up whose customer's identity is not verified is left alone
-- (outcome 'unverified': the caller credits it in a transaction that applies the unverified-inflow
-- rule). Outcomes, in order, with the customer and the entry: 'settled'; 'already_final' (no
-- longer pending), 'account_frozen' (the caller fails and refunds it) and 'unverified', each with
-- nothing written.
CREATE FUNCTION okpay_settle_top_ups(
  p_top_ups uuid[], p_references text[], p_at timestamptz[], p_require_verified boolean,
  p_keys text[], p_answer_statuses int[], p_answer_bodies jsonb[])
RETURNS TABLE (outcome text, customer_id uuid, journal_entry_id bigint)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
#variable_conflict use_column
DECLARE
  n int := coalesce(array_length(p_top_ups, 1), 0);
  v_outcome text[] := array_fill(NULL::text, ARRAY[n]);
  v_customer uuid[];
  v_amount bigint[];
  v_currency text[];
  v_verified boolean[];
  v_from bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  v_to bigint[];
  v_entry bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  v_clearing bigint;
  v_code text;
  v_row record;
BEGIN
  IF n = 0 THEN
    RETURN;
  END IF;
  IF array_length(p_references, 1) IS DISTINCT FROM n OR array_length(p_at, 1) IS DISTINCT FROM n
     OR array_length(p_keys, 1) IS DISTINCT FROM n
     OR array_length(p_answer_statuses, 1) IS DISTINCT FROM n OR array_length(p_answer_bodies, 1) IS DISTINCT FROM n THEN
    RAISE EXCEPTION 'okpay_settle_top_ups needs one value of each field per top-up' USING ERRCODE = 'OKP03';
  END IF;
  PERFORM 1 FROM top_ups t WHERE t.id = ANY (p_top_ups) AND t.status = 'pending' ORDER BY t.id FOR UPDATE;
  -- Each lookup is one index probe per top-up (a lateral LIMIT or a scalar subquery), however large the tables grow.
  SELECT array_agg(t.customer_id ORDER BY w.i), array_agg(t.amount ORDER BY w.i), array_agg(t.currency::text ORDER BY w.i),
         array_agg((SELECT true FROM identity_verifications v WHERE v.customer_id = t.customer_id AND v.status = 'approved' LIMIT 1) IS NOT NULL
                   ORDER BY w.i)
    INTO v_customer, v_amount, v_currency, v_verified
  FROM unnest(p_top_ups) WITH ORDINALITY AS w(id, i)
  LEFT JOIN LATERAL (SELECT t.customer_id, t.amount, t.currency FROM top_ups t WHERE t.id = w.id AND t.status = 'pending' LIMIT 1) t ON true;
  FOR i IN 1 .. n LOOP
    IF v_customer[i] IS NULL THEN
      v_outcome[i] := 'already_final';
    ELSIF p_require_verified AND NOT v_verified[i] THEN
      v_outcome[i] := 'unverified';
    END IF;
  END LOOP;

  -- Each customer's account, opened where missing (frozen if the customer is).
  v_to := okpay_customer_accounts(
    ARRAY(SELECT CASE WHEN w.outcome IS NULL THEN w.customer_id END
          FROM unnest(v_customer, v_outcome) WITH ORDINALITY AS w(customer_id, outcome, i) ORDER BY w.i),
    v_currency);

  FOR v_code IN SELECT DISTINCT v_currency[w.i] FROM generate_series(1, n) AS w(i) WHERE v_outcome[w.i] IS NULL LOOP
    SELECT a.id INTO v_clearing FROM ledger_accounts a
      WHERE a.system_code = 'acquirer_clearing' AND a.currency = v_code::char(3)
      ORDER BY md5(p_top_ups[1]::text || a.sub_account) LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF v_clearing IS NULL THEN
      SELECT a.id INTO v_clearing FROM ledger_accounts a
        WHERE a.system_code = 'acquirer_clearing' AND a.currency = v_code::char(3)
        ORDER BY md5(p_top_ups[1]::text || a.sub_account) LIMIT 1 FOR UPDATE;
    END IF;
    FOR i IN 1 .. n LOOP
      IF v_outcome[i] IS NULL AND v_currency[i] = v_code THEN
        v_from[i] := v_clearing;
      END IF;
    END LOOP;
  END LOOP;

  FOR v_row IN
    SELECT p.i::int AS i, p.outcome, p.entry_id
    FROM okpay_post_pairs(
           'top_up',
           ARRAY(SELECT 'top_up:' || p_top_ups[w.i] FROM generate_series(1, n) AS w(i) ORDER BY w.i),
           ARRAY(SELECT jsonb_build_object('acquirerReference', p_references[w.i]) FROM generate_series(1, n) AS w(i) ORDER BY w.i),
           v_from, v_to, v_amount) WITH ORDINALITY AS p(outcome, entry_id, i)
    WHERE p.outcome IS NOT NULL
  LOOP
    IF v_row.outcome = 'posted' THEN
      v_outcome[v_row.i] := 'settled';
      v_entry[v_row.i] := v_row.entry_id;
    ELSIF v_row.outcome = 'to_frozen' THEN
      v_outcome[v_row.i] := 'account_frozen';
    ELSE
      RAISE EXCEPTION 'acquirer clearing refused top-up %: %', p_top_ups[v_row.i], v_row.outcome USING ERRCODE = 'OKP03';
    END IF;
  END LOOP;

  UPDATE top_ups t SET status = 'succeeded', acquirer_reference = u.reference, completed_at = u.at, last_error = NULL,
                       failure_code_public = NULL, journal_entry_id = u.entry
  FROM unnest(p_top_ups, p_references, p_at, v_entry, v_outcome) AS u(id, reference, at, entry, outcome)
  WHERE u.outcome = 'settled' AND t.id = u.id;
  UPDATE wallet_transactions x SET status = 'succeeded', journal_entry_id = u.entry, completed_at = u.at, failure_code = NULL,
                                   failure_code_public = NULL
  FROM unnest(p_top_ups, p_at, v_entry, v_outcome) AS u(id, at, entry, outcome)
  WHERE u.outcome = 'settled' AND x.top_up_id = u.id AND x.type = 'top_up';
  INSERT INTO domain_events (type, subject_type, subject_id, payload)
  SELECT 'wallet.top-up.succeeded', 'top_up', p_top_ups[w.i]::text,
         jsonb_build_object('topUpId', p_top_ups[w.i], 'customerId', v_customer[w.i], 'amount', v_amount[w.i], 'currency', v_currency[w.i])
  FROM generate_series(1, n) AS w(i) WHERE v_outcome[w.i] = 'settled' ORDER BY w.i;
  -- Each request's answer, unless a later request (a retry that took the claim over) already stored one.
  UPDATE idempotency_keys k SET state = 'completed', response_status = u.status, response_body = u.body, completed_at = now()
  FROM unnest(v_customer, p_keys, p_answer_statuses, p_answer_bodies, v_outcome) AS u(customer_id, key, status, body, outcome)
  WHERE u.outcome = 'settled' AND u.key IS NOT NULL AND k.customer_id = u.customer_id AND k.key = u.key AND k.state = 'in_progress';
  RETURN QUERY SELECT v_outcome[w.i], v_customer[w.i], v_entry[w.i] FROM generate_series(1, n) AS w(i) ORDER BY w.i;
END;
$$;
