// Wallet owns money: the double-entry ledger, cards and top-ups, exchange, transfers, history and compliance.
export { verifyLedger } from './ledger/verify-ledger.js';
export { registerWalletRoutes } from './wallet.routes.js';
