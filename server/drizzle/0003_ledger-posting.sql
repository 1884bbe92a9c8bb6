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
      SELECT id, is_frozen INTO v_account FROM ledger_accounts WHERE id = v_row.account_id;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown account %', v_row.account_id USING ERRCODE = 'OKP05';
      ELSIF v_account.is_frozen THEN
        RAISE EXCEPTION 'account % is frozen', v_row.account_id USING ERRCODE = 'OKP02';
      ELSE
        RAISE EXCEPTION 'account % would go below zero', v_row.account_id USING ERRCODE = 'OKP01';
      END IF;
    END IF;
    -- An account opened while a freeze was being set may have missed the flag; the freeze row decides.
    IF v_account.customer_id IS NOT NULL
       AND EXISTS (SELECT 1 FROM customer_freezes WHERE customer_id = v_account.customer_id AND lifted_at IS NULL) THEN
      RAISE EXCEPTION 'account % is frozen', v_account.id USING ERRCODE = 'OKP02';
    END IF;
    INSERT INTO postings (entry_id, account_id, currency, amount, balance_after, account_version)
      VALUES (v_entry, v_account.id, v_account.currency, v_row.amount, v_account.balance, v_account.version);
  END LOOP;
  PERFORM set_config('okpay.posting', 'off', true);
  IF EXISTS (SELECT 1 FROM postings WHERE entry_id = v_entry GROUP BY currency HAVING sum(amount) <> 0) THEN
    RAISE EXCEPTION 'entry % does not balance per currency', v_entry USING ERRCODE = 'OKP03';
  END IF;
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
