-- The only way a balance changes. Postings are locked and applied in account-id order so that
-- concurrent entries never deadlock; overdrafts, frozen accounts and unbalanced entries abort the
-- whole transaction. Error codes: OKP01 insufficient funds, OKP02 frozen, OKP03 unbalanced or
-- malformed, OKP05 unknown account.
CREATE FUNCTION okpay_post_entry(p_kind text, p_reference text, p_metadata jsonb, p_accounts bigint[], p_amounts bigint[])
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v_entry bigint;
  v_row record;
  v_account record;
  v_currencies text[] := '{}';
  v_sums bigint[] := '{}';
  v_index int;
BEGIN
  IF coalesce(array_length(p_accounts, 1), 0) < 2 OR array_length(p_accounts, 1) <> array_length(p_amounts, 1) THEN
    RAISE EXCEPTION 'an entry needs at least two postings' USING ERRCODE = 'OKP03';
  END IF;
  PERFORM set_config('okpay.posting', 'on', true);
  INSERT INTO journal_entries (kind, reference, metadata) VALUES (p_kind, p_reference, coalesce(p_metadata, '{}'::jsonb))
    RETURNING id INTO v_entry;
  FOR v_row IN
    SELECT a.account_id, a.amount FROM unnest(p_accounts, p_amounts) AS a(account_id, amount) ORDER BY a.account_id
  LOOP
    IF v_row.amount IS NULL OR v_row.amount = 0 THEN
      RAISE EXCEPTION 'a posting must move money' USING ERRCODE = 'OKP03';
    END IF;
    -- The row lock is taken here; a frozen account or an overdraft matches no row.
    UPDATE ledger_accounts SET balance = balance + v_row.amount, version = version + 1
      WHERE id = v_row.account_id AND NOT is_frozen AND (allow_negative OR balance + v_row.amount >= 0)
      RETURNING id, currency, balance, version, customer_id INTO v_account;
    IF NOT FOUND THEN
      SELECT id, is_frozen, customer_id INTO v_account FROM ledger_accounts WHERE id = v_row.account_id;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown account %', v_row.account_id USING ERRCODE = 'OKP05';
      ELSIF v_account.is_frozen THEN
        RAISE EXCEPTION 'account % of customer % is frozen', v_row.account_id, v_account.customer_id USING ERRCODE = 'OKP02';
      ELSE
        RAISE EXCEPTION 'account % would go below zero', v_row.account_id USING ERRCODE = 'OKP01';
      END IF;
    END IF;
    -- An account opened while a freeze was being set may have missed the flag; the freeze row decides.
    IF v_account.customer_id IS NOT NULL
       AND EXISTS (SELECT 1 FROM customer_freezes WHERE customer_id = v_account.customer_id AND lifted_at IS NULL) THEN
      RAISE EXCEPTION 'account % of customer % is frozen', v_account.id, v_account.customer_id USING ERRCODE = 'OKP02';
    END IF;
    INSERT INTO postings (entry_id, account_id, currency, amount, balance_after, account_version)
      VALUES (v_entry, v_account.id, v_account.currency, v_row.amount, v_account.balance, v_account.version);
    v_index := array_position(v_currencies, v_account.currency::text);
    IF v_index IS NULL THEN
      v_currencies := v_currencies || v_account.currency::text;
      v_sums := v_sums || v_row.amount;
    ELSE
      v_sums[v_index] := v_sums[v_index] + v_row.amount;
    END IF;
  END LOOP;
  PERFORM set_config('okpay.posting', 'off', true);
  FOR v_index IN 1 .. coalesce(array_length(v_sums, 1), 0) LOOP
    IF v_sums[v_index] <> 0 THEN
      RAISE EXCEPTION 'entry % does not balance in %', v_entry, v_currencies[v_index] USING ERRCODE = 'OKP03';
    END IF;
  END LOOP;
  RETURN v_entry;
END;
$$;
--> statement-breakpoint
-- Balances move only inside okpay_post_entry.
CREATE FUNCTION okpay_guard_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.balance IS DISTINCT FROM OLD.balance OR NEW.version IS DISTINCT FROM OLD.version)
     AND current_setting('okpay.posting', true) IS DISTINCT FROM 'on' THEN
    RAISE EXCEPTION 'balances change only through okpay_post_entry' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_accounts_balance_guard BEFORE UPDATE ON ledger_accounts
  FOR EACH ROW EXECUTE FUNCTION okpay_guard_balance();
--> statement-breakpoint
CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION okpay_refuse_change();
--> statement-breakpoint
CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
  FOR EACH ROW EXECUTE FUNCTION okpay_refuse_change();
--> statement-breakpoint
CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries
  FOR EACH STATEMENT EXECUTE FUNCTION okpay_refuse_change();
--> statement-breakpoint
CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON postings
  FOR EACH STATEMENT EXECUTE FUNCTION okpay_refuse_change();
--> statement-breakpoint
-- System accounts for every supported currency.
INSERT INTO ledger_accounts (system_code, currency, allow_negative)
SELECT code, currency, true
FROM unnest(ARRAY['acquirer_clearing', 'fx_liquidity', 'fx_revenue', 'fees']) AS code,
     unnest(ARRAY['CNY', 'USD', 'EUR', 'HKD', 'JPY', 'KWD']) AS currency;
--> statement-breakpoint
-- Seed mid-market rates (units of each currency per US dollar); admins edit them later.
INSERT INTO fx_rates (currency, units_per_usd) VALUES
  ('USD', 1), ('CNY', 7.1000), ('EUR', 0.9200), ('HKD', 7.8000), ('JPY', 150.00), ('KWD', 0.30700);
--> statement-breakpoint
-- A customer-to-customer transfer as one statement: finds the recipient, opens missing accounts in
-- (customer, currency) order, posts the entry and writes the transfer and both history rows.
-- Error codes: OKP10 unknown recipient, OKP11 transfer to self; posting errors as above.
CREATE FUNCTION okpay_transfer(
  p_sender uuid, p_recipient_email text, p_recipient_phone text, p_amount bigint, p_currency char(3), p_note text, p_at timestamptz,
  OUT transfer_id uuid, OUT transaction_id uuid, OUT recipient_id uuid, OUT recipient_name text, OUT recipient_email text, OUT recipient_phone text)
LANGUAGE plpgsql AS $$
DECLARE
  v_sender_account bigint;
  v_recipient_account bigint;
  v_sender_name text;
  v_entry bigint;
  v_owner record;
BEGIN
  IF p_recipient_email IS NOT NULL THEN
    SELECT id, display_name, email, phone INTO recipient_id, recipient_name, recipient_email, recipient_phone
      FROM customers WHERE lower(email) = lower(p_recipient_email);
  ELSE
    SELECT id, display_name, email, phone INTO recipient_id, recipient_name, recipient_email, recipient_phone
      FROM customers WHERE phone = p_recipient_phone;
  END IF;
  IF recipient_id IS NULL THEN
    RAISE EXCEPTION 'no such recipient' USING ERRCODE = 'OKP10';
  END IF;
  IF recipient_id = p_sender THEN
    RAISE EXCEPTION 'transfer to self' USING ERRCODE = 'OKP11';
  END IF;
  FOR v_owner IN SELECT c.id FROM unnest(ARRAY[p_sender, recipient_id]) AS c(id) ORDER BY c.id LOOP
    INSERT INTO ledger_accounts (customer_id, currency, is_frozen)
      SELECT v_owner.id, p_currency, EXISTS (SELECT 1 FROM customer_freezes f WHERE f.customer_id = v_owner.id AND f.lifted_at IS NULL)
      WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.customer_id = v_owner.id AND a.currency = p_currency)
      ON CONFLICT (customer_id, currency) WHERE customer_id IS NOT NULL DO NOTHING;
  END LOOP;
  SELECT id INTO v_sender_account FROM ledger_accounts WHERE customer_id = p_sender AND currency = p_currency;
  SELECT id INTO v_recipient_account FROM ledger_accounts WHERE customer_id = recipient_id AND currency = p_currency;
  v_entry := okpay_post_entry('transfer', NULL, '{}'::jsonb, ARRAY[v_sender_account, v_recipient_account], ARRAY[-p_amount, p_amount]);
  SELECT display_name INTO v_sender_name FROM customers WHERE id = p_sender;
  INSERT INTO transfers (sender_id, recipient_id, amount, currency, note, journal_entry_id, created_at)
    VALUES (p_sender, recipient_id, p_amount, p_currency, p_note, v_entry, p_at) RETURNING id INTO transfer_id;
  INSERT INTO wallet_transactions (customer_id, type, status, amount, currency, counterparty_customer_id, counterparty_name, note,
                                   transfer_id, journal_entry_id, created_at, completed_at)
    VALUES (p_sender, 'transfer_out', 'succeeded', -p_amount, p_currency, recipient_id, recipient_name, p_note, transfer_id, v_entry, p_at, p_at)
    RETURNING id INTO transaction_id;
  INSERT INTO wallet_transactions (customer_id, type, status, amount, currency, counterparty_customer_id, counterparty_name, note,
                                   transfer_id, journal_entry_id, created_at, completed_at)
    VALUES (recipient_id, 'transfer_in', 'succeeded', p_amount, p_currency, p_sender, v_sender_name, p_note, transfer_id, v_entry, p_at, p_at);
END;
$$;
