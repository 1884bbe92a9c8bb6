import {
  type FxRateChange,
  fxRateChangeListSchema,
  fxRateChangeSchema,
  fxRatesResponseSchema,
  setFxRateResponseSchema,
} from '@okpay/contracts';
import { apiRequest } from './client';

export const listFxRates = () => apiRequest('/api/agent/fx/rates', { schema: fxRatesResponseSchema });

/** Applies at once within the band (`applied`), otherwise waits for a second admin (`pending_approval`). */
export const setFxRate = (currency: string, unitsPerUsd: string, note: string | undefined) =>
  apiRequest(`/api/agent/fx/rates/${encodeURIComponent(currency)}`, {
    method: 'PUT',
    body: note ? { unitsPerUsd, note } : { unitsPerUsd },
    schema: setFxRateResponseSchema,
  });

export const listFxRateChanges = (status: FxRateChange['status']) =>
  apiRequest(`/api/agent/fx/rate-changes?status=${status}`, { schema: fxRateChangeListSchema });

export const decideFxRateChange = (id: string, decision: 'approve' | 'reject', note: string | undefined) =>
  apiRequest(`/api/agent/fx/rate-changes/${encodeURIComponent(id)}/${decision}`, {
    method: 'POST',
    body: note ? { note } : {},
    schema: fxRateChangeSchema,
  });
