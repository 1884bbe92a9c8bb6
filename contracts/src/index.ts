export * from './cards.js';
export * from './compliance.js';
export * from './errors.js';
export * from './identity.js';
export * from './locale.js';
export * from './money.js';
export * from './support.js';
export * from './wallet.js';
