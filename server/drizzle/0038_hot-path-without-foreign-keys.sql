-- The per-transfer rows name customers, entries and accounts without foreign keys: each key cost
-- every row a probe and a row lock on the row it names (a lock is a tuple write and a WAL record),
-- twelve per transfer. Their writers (okpay_post_entry, okpay_post_pairs, okpay_transfer_batch,
-- okpay_transfer) take the ids from rows they just found or hold locked; customers are never
-- deleted (ledger accounts still name them with a key), entries and postings are append-only, and
-- accounts may no longer be deleted either (below); ledger:verify checks every reference.
ALTER TABLE "wallet_transactions" DROP CONSTRAINT "wallet_transactions_customer_id_customers_id_fk";
--> statement-breakpoint
ALTER TABLE "wallet_transactions" DROP CONSTRAINT "wallet_transactions_counterparty_customer_id_customers_id_fk";
--> statement-breakpoint
ALTER TABLE "idempotency_keys" DROP CONSTRAINT "idempotency_keys_customer_id_customers_id_fk";
--> statement-breakpoint
ALTER TABLE "postings" DROP CONSTRAINT "postings_entry_id_journal_entries_id_fk";
--> statement-breakpoint
ALTER TABLE "postings" DROP CONSTRAINT "postings_account_id_ledger_accounts_id_fk";
--> statement-breakpoint
ALTER TABLE "transfers" DROP CONSTRAINT "transfers_sender_id_customers_id_fk";
--> statement-breakpoint
ALTER TABLE "transfers" DROP CONSTRAINT "transfers_recipient_id_customers_id_fk";

--> statement-breakpoint
CREATE TRIGGER ledger_accounts_never_deleted BEFORE DELETE ON ledger_accounts
  FOR EACH ROW EXECUTE FUNCTION okpay_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_accounts_no_truncate BEFORE TRUNCATE ON ledger_accounts
  FOR EACH STATEMENT EXECUTE FUNCTION okpay_refuse_change();
