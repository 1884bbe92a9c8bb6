// Wallet owns money: the double-entry ledger, cards and top-ups, exchange, transfers, history and compliance.
export { customerWalletSummary, supportPickerItems, type WalletSummary } from './agent-view/customer-wallet-summary.js';
export { pruneIdempotencyKeys } from './idempotency/idempotency.js';
export { verifyLedger } from './ledger/verify-ledger.js';
export { maxAmountPerTransaction } from './limits.js';
export { registerWalletRoutes } from './wallet.routes.js';
