import {
  type BindCardRequest,
  balancesResponseSchema,
  cardListSchema,
  cardSchema,
  customerSecuritySchema,
  type FxQuoteRequest,
  fxQuoteSchema,
  type IdType,
  type TopUpRequest,
  type TransactionFilters,
  type TransferRequest,
  topUpSchema,
  transactionPageSchema,
  transferSchema,
  verificationSubmissionSchema,
} from '@okpay/contracts';
import { apiRequest } from './client';

const idempotent = (key: string) => ({ 'idempotency-key': key });

export const getBalances = () => apiRequest('/api/wallet/balances', { schema: balancesResponseSchema });

export const listCards = () => apiRequest('/api/wallet/cards', { schema: cardListSchema });

export const bindCard = (body: BindCardRequest) => apiRequest('/api/wallet/cards', { method: 'POST', body, schema: cardSchema });

export const removeCard = (id: string) => apiRequest(`/api/wallet/cards/${encodeURIComponent(id)}`, { method: 'DELETE' });

/** 201 credited, 202 waiting for the bank, 402 declined: each answer is the top-up, so none of them throws. */
export const createTopUp = (body: TopUpRequest, idempotencyKey: string) =>
  apiRequest('/api/wallet/top-ups', {
    method: 'POST',
    body,
    headers: idempotent(idempotencyKey),
    answerStatuses: [402],
    schema: topUpSchema,
  });

export const getTopUp = (id: string) => apiRequest(`/api/wallet/top-ups/${encodeURIComponent(id)}`, { schema: topUpSchema });

export const createFxQuote = (body: FxQuoteRequest) => apiRequest('/api/wallet/fx/quotes', { method: 'POST', body, schema: fxQuoteSchema });

export const executeFxQuote = (id: string, idempotencyKey: string) =>
  apiRequest(`/api/wallet/fx/quotes/${encodeURIComponent(id)}/execute`, {
    method: 'POST',
    headers: idempotent(idempotencyKey),
    schema: fxQuoteSchema,
  });

export const sendTransfer = (body: TransferRequest, idempotencyKey: string) =>
  apiRequest('/api/wallet/transfers', { method: 'POST', body, headers: idempotent(idempotencyKey), schema: transferSchema });

export type HistoryFilters = Partial<Pick<TransactionFilters, 'from' | 'to' | 'type' | 'status' | 'currency'>>;

function filterQuery(filters: HistoryFilters & { cursor?: string; limit?: number; locale?: string }): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value !== undefined && value !== '') query.set(name, String(value));
  const text = query.toString();
  return text ? `?${text}` : '';
}

export const listTransactions = (filters: HistoryFilters, cursor?: string) =>
  apiRequest(`/api/wallet/transactions${filterQuery({ ...filters, cursor, limit: 20 })}`, { schema: transactionPageSchema });

/** The statement download; the session cookie authenticates it, so a plain link works. */
/** A plain download link sends no Accept-Language of ours, so the statement's language travels in the query. */
export const transactionsCsvUrl = (filters: HistoryFilters, locale: string) =>
  `/api/wallet/transactions.csv${filterQuery({ ...filters, locale })}`;

export const getSecurity = () => apiRequest('/api/wallet/security', { schema: customerSecuritySchema });

export const freezeMyAccount = () =>
  apiRequest('/api/wallet/security/freeze', { method: 'POST', body: {}, schema: customerSecuritySchema });

export type IdentityVerificationForm = { realName: string; idType: IdType; idNumber: string; document: File };

export const submitIdentityVerification = (form: IdentityVerificationForm) => {
  const body = new FormData();
  body.set('realName', form.realName);
  body.set('idType', form.idType);
  body.set('idNumber', form.idNumber);
  body.set('document', form.document, form.document.name);
  return apiRequest('/api/wallet/identity-verification', { method: 'POST', body, schema: verificationSubmissionSchema });
};
