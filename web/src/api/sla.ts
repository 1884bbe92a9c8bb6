import { type SaveSlaPolicyRequest, slaAtRiskSchema, slaSettingsSchema } from '@okpay/contracts';
import { apiRequest } from './client';

const policyPath = (name: string) => `/api/agent/sla/policies/${encodeURIComponent(name)}`;

export const getSlaSettings = () => apiRequest('/api/agent/sla/policies', { schema: slaSettingsSchema });

export const saveSlaPolicy = (name: string, body: SaveSlaPolicyRequest) =>
  apiRequest(policyPath(name), { method: 'PUT', body, schema: slaSettingsSchema });

export const removeSlaPolicy = (name: string) => apiRequest(policyPath(name), { method: 'DELETE', schema: slaSettingsSchema });

export const getSlaAtRisk = () => apiRequest('/api/agent/sla/at-risk', { schema: slaAtRiskSchema });
