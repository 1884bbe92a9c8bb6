export * from './errors.js';
export * from './identity.js';
export * from './locale.js';
export * from './money.js';
export * from './wallet.js';
