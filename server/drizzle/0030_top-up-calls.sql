-- A top-up's first phase in one call and one commit: the request's Idempotency-Key (when it is
-- claimed now) together with the pending top-up and its history row, so a duplicate meanwhile
-- finds both or neither. The caller has found the card and checked it (active, not expired, the
-- amount within the limit). p_key is recorded on the top-up; with p_hash the key is claimed now
-- (with p_token); with only p_token it was claimed before and must still be held by it (locked
-- until the commit, so a takeover sees either no top-up or this one).
-- Returns the top-up's row; none when p_hash was given and the key is already taken (the caller
-- answers from it). OKP02: the customer is frozen. OKP22: the claim is no longer held.
CREATE FUNCTION okpay_begin_top_up(
  p_customer uuid, p_card uuid, p_amount bigint, p_currency text, p_at timestamptz, p_card_last4 text, p_card_brand text,
  p_key text, p_hash text, p_token uuid)
RETURNS SETOF top_ups
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_top_up top_ups;
BEGIN
  IF p_hash IS NOT NULL THEN
    INSERT INTO idempotency_keys (customer_id, key, request_hash, claim_token, claimed_at, created_at)
      VALUES (p_customer, p_key, p_hash, p_token, p_at, p_at)
      ON CONFLICT (customer_id, key) DO NOTHING;
    IF NOT FOUND THEN
      RETURN;
    END IF;
  ELSIF p_token IS NOT NULL THEN
    PERFORM 1 FROM idempotency_keys
      WHERE customer_id = p_customer AND key = p_key AND claim_token = p_token AND state = 'in_progress' FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'the claim on key % is no longer held', p_key USING ERRCODE = 'OKP22';
    END IF;
  END IF;
  -- A frozen account receives nothing, so its card is never charged.
  IF EXISTS (SELECT 1 FROM customer_freezes WHERE customer_id = p_customer AND lifted_at IS NULL) THEN
    RAISE EXCEPTION 'customer % is frozen', p_customer USING ERRCODE = 'OKP02';
  END IF;
  INSERT INTO top_ups (customer_id, card_id, amount, currency, status, attempts, idempotency_key, created_at)
    VALUES (p_customer, p_card, p_amount, p_currency, 'pending', 1, p_key, p_at)
    RETURNING * INTO v_top_up;
  INSERT INTO wallet_transactions (customer_id, type, status, amount, currency, top_up_id, card_last4, details, created_at)
    VALUES (p_customer, 'top_up', 'pending', p_amount, p_currency, v_top_up.id, p_card_last4,
            jsonb_build_object('cardId', p_card, 'brand', p_card_brand), p_at);
  RETURN NEXT v_top_up;
END;
$$;
--> statement-breakpoint
-- A charged top-up credited in one call. The pending top-up is locked first: whoever moves it out
-- of pending credits it, so the request and any number of reconciliation runs credit it exactly
-- once. The customer's account (opened where missing, frozen if the customer is) is locked and
-- checked: a freeze either came first and refuses the credit, or waits for it. The money comes
-- from an acquirer-clearing sub-account no other transaction holds right now (SKIP LOCKED, in an
-- order of its own per top-up; when all are held, one is waited for), so concurrent top-ups in one
-- currency do not queue on one row. Then the entry, the top-up and its history row completed and
-- the outbox event; with p_key, the request's answer stored under its Idempotency-Key in the same
-- commit. With p_require_verified, a customer whose identity is not verified raises OKP20 before
-- anything is written (the caller settles in a transaction that applies the unverified-inflow rule).
-- Returns the outcome: 'settled' (with the entry); 'already_final' (no longer pending) or 'account_frozen', both
-- with nothing written (the caller fails and refunds a frozen customer's top-up).
CREATE FUNCTION okpay_settle_top_up(
  p_top_up uuid, p_reference text, p_at timestamptz, p_require_verified boolean,
  p_key text, p_answer_status int, p_answer_body jsonb)
RETURNS TABLE (outcome text, customer_id uuid, journal_entry_id bigint)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
  v_top_up record;
  v_account bigint;
  v_is_frozen boolean;
  v_clearing bigint;
  v_entry bigint;
BEGIN
  SELECT t.id, t.customer_id, t.amount, t.currency INTO v_top_up FROM top_ups t WHERE t.id = p_top_up AND t.status = 'pending' FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'already_final'::text, NULL::uuid, NULL::bigint;
    RETURN;
  END IF;
  IF p_require_verified AND NOT EXISTS (
    SELECT 1 FROM identity_verifications v WHERE v.customer_id = v_top_up.customer_id AND v.status = 'approved') THEN
    RAISE EXCEPTION 'customer % has no verified identity', v_top_up.customer_id USING ERRCODE = 'OKP20';
  END IF;
  INSERT INTO ledger_accounts (customer_id, currency, is_frozen)
    SELECT v_top_up.customer_id, v_top_up.currency,
           EXISTS (SELECT 1 FROM customer_freezes f WHERE f.customer_id = v_top_up.customer_id AND f.lifted_at IS NULL)
    WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.customer_id = v_top_up.customer_id AND a.currency = v_top_up.currency)
    ON CONFLICT (customer_id, currency) WHERE customer_id IS NOT NULL DO NOTHING;
  SELECT a.id, a.is_frozen INTO v_account, v_is_frozen FROM ledger_accounts a
    WHERE a.customer_id = v_top_up.customer_id AND a.currency = v_top_up.currency FOR UPDATE;
  IF v_is_frozen OR EXISTS (SELECT 1 FROM customer_freezes f WHERE f.customer_id = v_top_up.customer_id AND f.lifted_at IS NULL) THEN
    RETURN QUERY SELECT 'account_frozen'::text, v_top_up.customer_id, NULL::bigint;
    RETURN;
  END IF;
  SELECT a.id INTO v_clearing FROM ledger_accounts a
    WHERE a.system_code = 'acquirer_clearing' AND a.currency = v_top_up.currency
    ORDER BY md5(p_top_up::text || a.sub_account) LIMIT 1 FOR UPDATE SKIP LOCKED;
  IF v_clearing IS NULL THEN
    SELECT a.id INTO v_clearing FROM ledger_accounts a
      WHERE a.system_code = 'acquirer_clearing' AND a.currency = v_top_up.currency
      ORDER BY md5(p_top_up::text || a.sub_account) LIMIT 1 FOR UPDATE;
  END IF;
  v_entry := okpay_post_entry('top_up', 'top_up:' || p_top_up, jsonb_build_object('acquirerReference', p_reference),
                              ARRAY[v_clearing, v_account], ARRAY[-v_top_up.amount, v_top_up.amount]);
  UPDATE top_ups SET status = 'succeeded', acquirer_reference = p_reference, completed_at = p_at, last_error = NULL,
                     failure_code_public = NULL, journal_entry_id = v_entry
    WHERE id = p_top_up;
  UPDATE wallet_transactions SET status = 'succeeded', journal_entry_id = v_entry, completed_at = p_at, failure_code = NULL,
                                 failure_code_public = NULL
    WHERE top_up_id = p_top_up AND type = 'top_up';
  INSERT INTO domain_events (type, subject_type, subject_id, payload)
    VALUES ('wallet.top-up.succeeded', 'top_up', p_top_up::text,
            jsonb_build_object('topUpId', p_top_up, 'customerId', v_top_up.customer_id, 'amount', v_top_up.amount,
                               'currency', v_top_up.currency));
  -- The request's answer, unless a later request (a retry that took the claim over) already stored one.
  IF p_key IS NOT NULL THEN
    UPDATE idempotency_keys k SET state = 'completed', response_status = p_answer_status, response_body = p_answer_body, completed_at = now()
      WHERE k.customer_id = v_top_up.customer_id AND k.key = p_key AND k.state = 'in_progress';
  END IF;
  RETURN QUERY SELECT 'settled'::text, v_top_up.customer_id, v_entry;
END;
$$;
