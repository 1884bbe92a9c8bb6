-- A transfer batch stores its keys' answers itself, in the call: so a batch whose recipients all
-- have a verified identity (nothing for the caller's risk rule to do) is one statement, its own
-- transaction and commit, without BEGIN, a second call and COMMIT around it. The answer stored
-- is what the caller needs to say it again (facts, not the rendered response): for a transfer made,
-- {"transfer": {id, transactionId, recipientName, recipientEmail, recipientPhone, createdAt}} with
-- status 201 (only the contact the sender named the recipient by; the other is null); for a
-- refusal, {"refusal": code} (the caller renders it in the retry's language).
-- p_verified_only: the call is its own transaction; a transfer that would pay a recipient whose
-- identity is not verified raises OKP21 instead (the caller sends the batch again in a transaction
-- of its own, where it applies the unverified-inflow rule before committing).
DROP FUNCTION okpay_transfer_batch(uuid[], text[], text[], text[], text[], bigint[], text[], text[], timestamptz[], text[]);
--> statement-breakpoint
DROP FUNCTION okpay_complete_idempotency_keys(uuid[], text[], int[], jsonb[]);
--> statement-breakpoint
CREATE FUNCTION okpay_transfer_batch(
  p_senders uuid[], p_keys text[], p_hashes text[], p_emails text[], p_phones text[],
  p_amounts bigint[], p_currencies text[], p_notes text[], p_at timestamptz[], p_refusals text[],
  p_verified_only boolean)
RETURNS TABLE (outcome text, transfer_id uuid, transaction_id uuid, recipient_id uuid, recipient_name text,
               recipient_email text, recipient_phone text, is_recipient_verified boolean, response_status int, response_body jsonb)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
DECLARE
  n int := coalesce(array_length(p_senders, 1), 0);
  v_outcome text[] := array_fill(NULL::text, ARRAY[n]);
  v_status int[] := array_fill(NULL::int, ARRAY[n]);
  v_body jsonb[] := array_fill(NULL::jsonb, ARRAY[n]);
  v_recipient uuid[];
  v_recipient_name text[];
  v_recipient_email text[];
  v_recipient_phone text[];
  v_sender_name text[];
  v_taken int[];
  v_row record;
  v_accounts bigint[];
  v_from_id bigint[];
  v_to_id bigint[];
  -- What the batch posts: transfer number (1..m) of each item, and its entry.
  v_entry_of int[] := array_fill(NULL::int, ARRAY[n]);
  v_ok int[] := '{}';
  v_entries bigint[] := '{}';
  v_transfers uuid[];
  v_transactions uuid[];
  v_claimed int[];
  v_verified boolean[];
  m int := 0;
BEGIN
  IF n = 0 THEN
    RETURN;
  END IF;
  IF array_length(p_keys, 1) IS DISTINCT FROM n OR array_length(p_hashes, 1) IS DISTINCT FROM n
     OR array_length(p_emails, 1) IS DISTINCT FROM n OR array_length(p_phones, 1) IS DISTINCT FROM n
     OR array_length(p_amounts, 1) IS DISTINCT FROM n OR array_length(p_currencies, 1) IS DISTINCT FROM n
     OR array_length(p_notes, 1) IS DISTINCT FROM n OR array_length(p_at, 1) IS DISTINCT FROM n
     OR array_length(p_refusals, 1) IS DISTINCT FROM n
     OR EXISTS (SELECT 1 FROM unnest(p_amounts) AS a(amount) WHERE a.amount IS NULL OR a.amount <= 0) THEN
    RAISE EXCEPTION 'a transfer batch needs one positive amount and one value of each field per transfer' USING ERRCODE = 'OKP03';
  END IF;
  -- A key held by a transaction still running (the same request on another node) is waited for at
  -- most this long; the caller then retries the batch's transfers one at a time.
  PERFORM set_config('lock_timeout', '5s', true);

  -- Claim the keys; a key that is already taken answers from its row, read after the claim (which
  -- may have waited for the transaction that took it).
  WITH firsts AS (
    SELECT DISTINCT ON (w.sender, w.key) w.sender, w.key, w.hash, w.i
    FROM unnest(p_senders, p_keys, p_hashes) WITH ORDINALITY AS w(sender, key, hash, i)
    ORDER BY w.sender, w.key, w.i),
  claimed AS (
    INSERT INTO idempotency_keys (customer_id, key, request_hash)
    SELECT f.sender, f.key, f.hash FROM firsts f ORDER BY f.sender, f.key
    ON CONFLICT (customer_id, key) DO NOTHING
    RETURNING customer_id, key)
  SELECT array_agg(f.i::int) INTO v_taken
  FROM firsts f WHERE NOT EXISTS (SELECT 1 FROM claimed c WHERE c.customer_id = f.sender AND c.key = f.key);
  -- A key repeated within the call (the caller answers repeats from the first) never runs twice.
  IF n > 1 THEN
    FOR v_row IN
      SELECT r.i FROM (SELECT w.i::int AS i, row_number() OVER (PARTITION BY w.sender, w.key ORDER BY w.i) AS nth
                       FROM unnest(p_senders, p_keys) WITH ORDINALITY AS w(sender, key, i)) r
      WHERE r.nth > 1
    LOOP
      v_outcome[v_row.i] := 'in_progress';
    END LOOP;
  END IF;
  IF v_taken IS NOT NULL THEN
    FOR v_row IN
      SELECT t.i, k.request_hash, k.state, k.response_status, k.response_body
      FROM unnest(v_taken) AS t(i)
      LEFT JOIN LATERAL (SELECT k.request_hash, k.state, k.response_status, k.response_body FROM idempotency_keys k
                         WHERE k.customer_id = p_senders[t.i] AND k.key = p_keys[t.i] LIMIT 1) k ON true
    LOOP
      IF v_row.request_hash IS DISTINCT FROM p_hashes[v_row.i] THEN
        v_outcome[v_row.i] := CASE WHEN v_row.request_hash IS NULL THEN 'in_progress' ELSE 'reused' END;
      ELSIF v_row.state = 'completed' THEN
        v_outcome[v_row.i] := 'replay';
        v_status[v_row.i] := v_row.response_status;
        v_body[v_row.i] := v_row.response_body;
      ELSE
        v_outcome[v_row.i] := 'in_progress';
      END IF;
    END LOOP;
  END IF;

  -- The keys this call claimed: their answers are stored at the end.
  v_claimed := ARRAY(SELECT i FROM generate_series(1, n) AS i WHERE v_outcome[i] IS NULL);

  -- Recipients by email (any case) or phone, and the senders' names for the recipients' history.
  -- Every lookup here and below is one index probe per transfer (a lateral LIMIT or a scalar
  -- subquery), however large the tables grow and whatever the planner guesses of the batch's size.
  SELECT array_agg(c.id ORDER BY w.i), array_agg(c.display_name ORDER BY w.i),
         array_agg(c.email ORDER BY w.i), array_agg(c.phone ORDER BY w.i),
         array_agg((SELECT s.display_name FROM customers s WHERE s.id = w.sender) ORDER BY w.i)
    INTO v_recipient, v_recipient_name, v_recipient_email, v_recipient_phone, v_sender_name
  FROM unnest(p_senders, p_emails, p_phones) WITH ORDINALITY AS w(sender, email, phone, i)
  LEFT JOIN LATERAL (
    SELECT id, display_name, email, phone FROM customers WHERE w.email IS NOT NULL AND lower(email) = lower(w.email)
    UNION ALL
    SELECT id, display_name, email, phone FROM customers WHERE w.email IS NULL AND phone = w.phone
    LIMIT 1) c ON true;
  -- A refusal the caller decided before asking (an amount above the limit) is the key's answer too.
  FOR i IN 1 .. n LOOP
    CONTINUE WHEN v_outcome[i] IS NOT NULL;
    IF p_refusals[i] IS NOT NULL THEN
      v_outcome[i] := p_refusals[i];
    ELSIF v_recipient[i] IS NULL THEN
      v_outcome[i] := 'recipient_not_found';
    ELSIF v_recipient[i] = p_senders[i] THEN
      v_outcome[i] := 'transfer_to_self';
    END IF;
  END LOOP;

  -- Both accounts of each transfer, opened where missing.
  v_accounts := okpay_customer_accounts(
    ARRAY(SELECT CASE WHEN w.outcome IS NULL THEN w.customer_id END
          FROM unnest(p_senders || v_recipient, v_outcome || v_outcome) WITH ORDINALITY AS w(customer_id, outcome, i) ORDER BY w.i),
    p_currencies || p_currencies);
  v_from_id := v_accounts[1:n];
  v_to_id := v_accounts[n + 1:2 * n];

  -- The entries are decided and posted in order by okpay_post_pairs.
  FOR v_row IN
    SELECT p.i::int AS i, p.outcome, p.entry_id
    FROM okpay_post_pairs('transfer', array_fill(NULL::text, ARRAY[n]), array_fill(NULL::jsonb, ARRAY[n]), v_from_id, v_to_id, p_amounts)
         WITH ORDINALITY AS p(outcome, entry_id, i)
    WHERE p.outcome IS NOT NULL
  LOOP
    IF v_row.outcome = 'posted' THEN
      m := m + 1;
      v_outcome[v_row.i] := 'succeeded';
      v_entry_of[v_row.i] := m;
      v_ok := v_ok || v_row.i;
      v_entries := v_entries || v_row.entry_id;
    ELSE
      v_outcome[v_row.i] := CASE v_row.outcome WHEN 'from_frozen' THEN 'account_frozen' WHEN 'to_frozen' THEN 'recipient_cannot_receive'
                                               ELSE v_row.outcome END;
    END IF;
  END LOOP;

  IF m > 0 THEN
    SELECT array_agg(gen_random_uuid()), array_agg(gen_random_uuid()) INTO v_transfers, v_transactions FROM generate_series(1, m);
    -- Whether each recipient paid has a verified identity (the caller's risk rule looks at the others).
    v_verified := ARRAY(SELECT (SELECT true FROM identity_verifications v WHERE v.customer_id = v_recipient[o.i] AND v.status = 'approved' LIMIT 1)
                               IS NOT NULL FROM unnest(v_ok) AS o(i));
    IF p_verified_only AND false = ANY (v_verified) THEN
      RAISE EXCEPTION 'a transfer of the batch pays a recipient whose identity is not verified' USING ERRCODE = 'OKP21';
    END IF;
    INSERT INTO transfers (id, sender_id, recipient_id, amount, currency, note, journal_entry_id, created_at)
    SELECT v_transfers[o.e], p_senders[o.i], v_recipient[o.i], p_amounts[o.i], p_currencies[o.i]::char(3), p_notes[o.i], v_entries[o.e], p_at[o.i]
    FROM (SELECT o.i, o.e::int AS e FROM unnest(v_ok) WITH ORDINALITY AS o(i, e)) o;
    INSERT INTO wallet_transactions (id, customer_id, type, status, amount, currency, counterparty_customer_id, counterparty_name, note,
                                     transfer_id, journal_entry_id, created_at, completed_at)
    SELECT v_transactions[o.e], p_senders[o.i], 'transfer_out', 'succeeded', -p_amounts[o.i], p_currencies[o.i]::char(3), v_recipient[o.i],
           v_recipient_name[o.i], p_notes[o.i], v_transfers[o.e], v_entries[o.e], p_at[o.i], p_at[o.i]
    FROM (SELECT o.i, o.e::int AS e FROM unnest(v_ok) WITH ORDINALITY AS o(i, e)) o
    UNION ALL
    SELECT gen_random_uuid(), v_recipient[o.i], 'transfer_in', 'succeeded', p_amounts[o.i], p_currencies[o.i]::char(3), p_senders[o.i],
           v_sender_name[o.i], p_notes[o.i], v_transfers[o.e], v_entries[o.e], p_at[o.i], p_at[o.i]
    FROM (SELECT o.i, o.e::int AS e FROM unnest(v_ok) WITH ORDINALITY AS o(i, e)) o;
    INSERT INTO domain_events (type, subject_type, subject_id, payload)
    SELECT 'wallet.transfer.sent', 'transfer', v_transfers[o.e]::text,
           jsonb_build_object('transferId', v_transfers[o.e], 'senderId', p_senders[o.i], 'recipientId', v_recipient[o.i],
                              'amount', p_amounts[o.i], 'currency', p_currencies[o.i])
    FROM (SELECT o.i, o.e::int AS e FROM unnest(v_ok) WITH ORDINALITY AS o(i, e)) o ORDER BY o.e;
  END IF;

  UPDATE idempotency_keys k
  SET state = 'completed', completed_at = now(),
      response_status = CASE WHEN v_outcome[c.i] = 'succeeded' THEN 201 END,
      response_body = CASE WHEN v_outcome[c.i] = 'succeeded'
        THEN jsonb_build_object('transfer', jsonb_build_object(
          'id', v_transfers[v_entry_of[c.i]], 'transactionId', v_transactions[v_entry_of[c.i]], 'recipientName', v_recipient_name[c.i],
          'recipientEmail', CASE WHEN p_emails[c.i] IS NOT NULL THEN v_recipient_email[c.i] END,
          'recipientPhone', CASE WHEN p_emails[c.i] IS NULL THEN v_recipient_phone[c.i] END, 'createdAt', p_at[c.i]))
        ELSE jsonb_build_object('refusal', v_outcome[c.i]) END
  FROM unnest(v_claimed) AS c(i)
  WHERE k.customer_id = p_senders[c.i] AND k.key = p_keys[c.i];

  RETURN QUERY
  SELECT v_outcome[i], v_transfers[v_entry_of[i]], v_transactions[v_entry_of[i]], v_recipient[i], v_recipient_name[i],
         v_recipient_email[i], v_recipient_phone[i], v_verified[v_entry_of[i]], v_status[i], v_body[i]
  FROM generate_series(1, n) AS i;
END;
$$;
