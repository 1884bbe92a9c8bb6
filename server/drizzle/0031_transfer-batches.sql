-- The batch functions below run with a generic plan per statement, and with hash and merge joins
-- off: a batch is a few dozen rows, so every table is best reached by its index one row at a time,
-- and a plan that hashed a whole table (chosen while the table was small, then kept) would cost
-- more with every row the table gains.
-- Many entries of two postings each (money from one account to another) in one call, decided in
-- the order given as okpay_post_entry would decide each one after the ones before it: every
-- account of the call locked in id order (by id: a row updated while this waited for its lock is
-- checked again against the ids alone, and okpay_post_entry locks in id order too, so no deadlock),
-- a frozen account (the flag, or an active freeze row for an account opened while a freeze was
-- being set) or an overdraft refusing only its entry, on the balances the entries before it left.
-- Then the journal entries, postings (with balance_after and version) and balances are written
-- with one statement each. Entries whose p_from is NULL are left out (the caller decided them).
-- Returns per entry, in order: 'posted' with its entry id, 'from_frozen', 'to_frozen' or
-- 'insufficient_funds'; NULL for those left out. OKP03: malformed (currencies differ, amount
-- not positive); OKP05: an unknown account.
CREATE FUNCTION okpay_post_pairs(p_kind text, p_references text[], p_metadata jsonb[], p_from bigint[], p_to bigint[], p_amounts bigint[])
RETURNS TABLE (outcome text, entry_id bigint)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
DECLARE
  n int := coalesce(array_length(p_from, 1), 0);
  v_outcome text[] := array_fill(NULL::text, ARRAY[n]);
  v_entry_of int[] := array_fill(NULL::int, ARRAY[n]);
  v_account bigint[];
  v_currency text[];
  v_balance bigint[];
  v_version bigint[];
  v_frozen boolean[];
  v_negative boolean[];
  v_touched boolean[];
  v_posted int[] := '{}';
  v_post_entry int[] := '{}';
  v_post_account bigint[] := '{}';
  v_post_amount bigint[] := '{}';
  v_post_balance bigint[] := '{}';
  v_post_version bigint[] := '{}';
  v_entries bigint[];
  m int := 0;
  v_s int;
  v_r int;
BEGIN
  IF n = 0 THEN
    RETURN;
  END IF;
  IF array_length(p_to, 1) IS DISTINCT FROM n OR array_length(p_amounts, 1) IS DISTINCT FROM n
     OR array_length(p_references, 1) IS DISTINCT FROM n OR array_length(p_metadata, 1) IS DISTINCT FROM n THEN
    RAISE EXCEPTION 'okpay_post_pairs needs one value of each field per entry' USING ERRCODE = 'OKP03';
  END IF;
  SELECT array_agg(a.id ORDER BY a.id), array_agg(a.currency::text ORDER BY a.id), array_agg(a.balance ORDER BY a.id),
         array_agg(a.version ORDER BY a.id),
         array_agg(a.is_frozen OR (a.customer_id IS NOT NULL AND EXISTS (
           SELECT 1 FROM customer_freezes f WHERE f.customer_id = a.customer_id AND f.lifted_at IS NULL)) ORDER BY a.id),
         array_agg(a.allow_negative ORDER BY a.id), array_agg(false ORDER BY a.id)
    INTO v_account, v_currency, v_balance, v_version, v_frozen, v_negative, v_touched
  FROM (SELECT l.id, l.customer_id, l.currency, l.balance, l.version, l.is_frozen, l.allow_negative
        FROM ledger_accounts l WHERE l.id = ANY (p_from || p_to) ORDER BY l.id FOR UPDATE) a;

  FOR i IN 1 .. n LOOP
    CONTINUE WHEN p_from[i] IS NULL;
    v_s := array_position(v_account, p_from[i]);
    v_r := array_position(v_account, p_to[i]);
    IF v_s IS NULL OR v_r IS NULL THEN
      RAISE EXCEPTION 'entry % of the call names an unknown account', i USING ERRCODE = 'OKP05';
    ELSIF v_s = v_r OR v_currency[v_s] <> v_currency[v_r] OR p_amounts[i] IS NULL OR p_amounts[i] <= 0 THEN
      RAISE EXCEPTION 'entry % of the call does not balance', i USING ERRCODE = 'OKP03';
    ELSIF v_frozen[v_s] THEN
      v_outcome[i] := 'from_frozen';
    ELSIF v_frozen[v_r] THEN
      v_outcome[i] := 'to_frozen';
    ELSIF NOT v_negative[v_s] AND v_balance[v_s] < p_amounts[i] THEN
      v_outcome[i] := 'insufficient_funds';
    ELSE
      m := m + 1;
      v_outcome[i] := 'posted';
      v_entry_of[i] := m;
      v_posted := v_posted || i;
      v_balance[v_s] := v_balance[v_s] - p_amounts[i];
      v_version[v_s] := v_version[v_s] + 1;
      v_touched[v_s] := true;
      v_post_entry := v_post_entry || m;
      v_post_account := v_post_account || v_account[v_s];
      v_post_amount := v_post_amount || -p_amounts[i];
      v_post_balance := v_post_balance || v_balance[v_s];
      v_post_version := v_post_version || v_version[v_s];
      v_balance[v_r] := v_balance[v_r] + p_amounts[i];
      v_version[v_r] := v_version[v_r] + 1;
      v_touched[v_r] := true;
      v_post_entry := v_post_entry || m;
      v_post_account := v_post_account || v_account[v_r];
      v_post_amount := v_post_amount || p_amounts[i];
      v_post_balance := v_post_balance || v_balance[v_r];
      v_post_version := v_post_version || v_version[v_r];
    END IF;
  END LOOP;

  IF m > 0 THEN
    v_entries := ARRAY(SELECT nextval('journal_entries_id_seq') FROM generate_series(1, m));
    INSERT INTO journal_entries (id, kind, reference, metadata)
    SELECT v_entries[o.e], p_kind, p_references[o.i], coalesce(p_metadata[o.i], '{}'::jsonb)
    FROM (SELECT o.i, o.e::int AS e FROM unnest(v_posted) WITH ORDINALITY AS o(i, e)) o ORDER BY o.e;
    INSERT INTO postings (entry_id, account_id, currency, amount, balance_after, account_version)
    SELECT v_entries[p.entry], p.account, v_currency[array_position(v_account, p.account)]::char(3), p.amount, p.balance, p.version
    FROM unnest(v_post_entry, v_post_account, v_post_amount, v_post_balance, v_post_version) AS p(entry, account, amount, balance, version);
    -- The balance guard lets balances move only while this flag is on (see okpay_post_entry).
    PERFORM set_config('okpay.posting', 'on', true);
    UPDATE ledger_accounts l SET balance = u.balance, version = u.version
    FROM unnest(v_account, v_balance, v_version, v_touched) AS u(id, balance, version, touched)
    WHERE l.id = u.id AND u.touched;
    PERFORM set_config('okpay.posting', 'off', true);
  END IF;

  RETURN QUERY SELECT v_outcome[i], v_entries[v_entry_of[i]] FROM generate_series(1, n) AS i;
END;
$$;
--> statement-breakpoint
-- Each customer's account in the matching currency, as an array in the same order (NULL where the
-- customer is NULL). Missing ones are opened in (customer, currency) order; a customer with an
-- active freeze gets a frozen account, so a new currency is no way around a freeze.
CREATE FUNCTION okpay_customer_accounts(p_customers uuid[], p_currencies text[])
RETURNS bigint[]
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
DECLARE
  v_accounts bigint[];
BEGIN
  FOR v_attempt IN 1 .. 2 LOOP
    SELECT array_agg(CASE WHEN w.customer_id IS NOT NULL THEN (SELECT a.id FROM ledger_accounts a
                            WHERE a.customer_id = w.customer_id AND a.currency = w.currency::char(3)) END ORDER BY w.i)
      INTO v_accounts
    FROM unnest(p_customers, p_currencies) WITH ORDINALITY AS w(customer_id, currency, i);
    EXIT WHEN v_attempt = 2 OR NOT EXISTS (
      SELECT 1 FROM unnest(p_customers, v_accounts) AS u(customer_id, account) WHERE u.customer_id IS NOT NULL AND u.account IS NULL);
    INSERT INTO ledger_accounts (customer_id, currency, is_frozen)
    SELECT o.customer_id, o.currency,
           (SELECT true FROM customer_freezes f WHERE f.customer_id = o.customer_id AND f.lifted_at IS NULL LIMIT 1) IS NOT NULL
    FROM (SELECT DISTINCT u.customer_id, u.currency::char(3) AS currency
          FROM unnest(p_customers, p_currencies, v_accounts) AS u(customer_id, currency, account)
          WHERE u.customer_id IS NOT NULL AND u.account IS NULL) o
    ORDER BY o.customer_id, o.currency
    ON CONFLICT (customer_id, currency) WHERE customer_id IS NOT NULL DO NOTHING;
  END LOOP;
  RETURN v_accounts;
END;
$$;
--> statement-breakpoint
-- Many customer-to-customer transfers in one call and one commit (group commit: a node sends what
-- arrived while its previous batch was committing). Transfers are decided in the order given, each
-- as if it ran alone after the ones before it: a refusal refuses only that transfer. Per transfer:
-- its Idempotency-Key is claimed (the caller stores the answer in the same transaction), the
-- recipient found and missing accounts opened in (customer, currency) order; okpay_post_pairs then
-- locks every account of the batch in id order, refuses frozen accounts and overdrafts on the locked
-- rows and writes the entries, postings and balances; the transfers, both history rows and the
-- outbox events follow, one statement each for the whole batch.
-- Outcomes: 'succeeded'; a refusal (the caller's own from p_refusals, 'recipient_not_found', 'transfer_to_self', 'account_frozen',
-- 'recipient_cannot_receive', 'insufficient_funds'); or, for a key already taken, 'replay' (its
-- stored answer), 'reused' (taken by a different request) or 'in_progress'.
-- For each transfer made, whether its recipient's identity is verified (the caller applies the
-- unverified-inflow rule to the others in the same transaction).
-- A key repeated within a batch runs once: its repeats are 'in_progress' (the caller answers them
-- from the first). OKP03: malformed.
CREATE FUNCTION okpay_transfer_batch(
  p_senders uuid[], p_keys text[], p_hashes text[], p_emails text[], p_phones text[],
  p_amounts bigint[], p_currencies text[], p_notes text[], p_at timestamptz[], p_refusals text[])
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
    v_transfers := ARRAY(SELECT gen_random_uuid() FROM generate_series(1, m));
    v_transactions := ARRAY(SELECT gen_random_uuid() FROM generate_series(1, m));
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

  RETURN QUERY
  SELECT v_outcome[i], v_transfers[v_entry_of[i]], v_transactions[v_entry_of[i]], v_recipient[i], v_recipient_name[i],
         v_recipient_email[i], v_recipient_phone[i],
         CASE WHEN v_outcome[i] = 'succeeded' THEN (SELECT true FROM identity_verifications v
           WHERE v.customer_id = v_recipient[i] AND v.status = 'approved' LIMIT 1) IS NOT NULL END,
         v_status[i], v_body[i]
  FROM generate_series(1, n) AS i;
END;
$$;
--> statement-breakpoint
-- The answers of a transfer batch stored under their keys, in the batch's transaction.
CREATE FUNCTION okpay_complete_idempotency_keys(p_customers uuid[], p_keys text[], p_statuses int[], p_bodies jsonb[])
RETURNS void
LANGUAGE sql
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
  UPDATE idempotency_keys k SET state = 'completed', response_status = a.status, response_body = a.body, completed_at = now()
  FROM unnest(p_customers, p_keys, p_statuses, p_bodies) AS a(customer_id, key, status, body)
  WHERE k.customer_id = a.customer_id AND k.key = a.key;
$$;
