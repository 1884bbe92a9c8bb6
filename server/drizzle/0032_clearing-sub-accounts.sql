DROP INDEX "ledger_accounts_system_currency_key";--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD COLUMN "sub_account" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_system_currency_key" ON "ledger_accounts" USING btree ("system_code","currency","sub_account") WHERE "ledger_accounts"."system_code" is not null;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_sub_account" CHECK ("ledger_accounts"."sub_account" >= 0 and ("ledger_accounts"."system_code" is not null or "ledger_accounts"."sub_account" = 0));--> statement-breakpoint
-- Acquirer clearing in 32 sub-accounts per currency (acquirerClearingSubAccounts in ledger.tables.ts),
-- so top-ups no longer queue on one row's lock. An install's clearing account stays sub-account 0
-- with its balance and postings; the others start at zero, and together they are the one balance.
INSERT INTO ledger_accounts (system_code, currency, allow_negative, sub_account)
SELECT a.system_code, a.currency, true, s.n
FROM ledger_accounts a CROSS JOIN generate_series(1, 31) AS s(n)
WHERE a.system_code = 'acquirer_clearing' AND a.sub_account = 0;
