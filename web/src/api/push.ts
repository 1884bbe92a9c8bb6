import {
  type NotificationPreferences,
  notificationPreferencesSchema,
  type PushSubscribeRequest,
  pushDeviceListSchema,
  pushDeviceSchema,
  pushPublicKeySchema,
  supportConversationDetailSchema,
  supportConversationListSchema,
} from '@okpay/contracts';
import { apiRequest } from './client';

export const getPushPublicKey = () => apiRequest('/api/push/public-key', { schema: pushPublicKeySchema });

export const subscribePush = (body: PushSubscribeRequest) =>
  apiRequest('/api/push/subscriptions', { method: 'POST', body, schema: pushDeviceSchema });

export const renewPush = (body: PushSubscribeRequest) =>
  apiRequest('/api/push/subscriptions', { method: 'PUT', body, schema: pushDeviceSchema });

export const unsubscribePush = (endpoint: string) => apiRequest('/api/push/unsubscribe', { method: 'POST', body: { endpoint } });

export const listPushDevices = () => apiRequest('/api/push/devices', { schema: pushDeviceListSchema });

export const removePushDevice = (id: string) => apiRequest(`/api/push/devices/${encodeURIComponent(id)}`, { method: 'DELETE' });

export const getNotificationPreferences = () => apiRequest('/api/push/preferences', { schema: notificationPreferencesSchema });

export const saveNotificationPreferences = (body: NotificationPreferences) =>
  apiRequest('/api/push/preferences', { method: 'PUT', body, schema: notificationPreferencesSchema });

export const listMyConversations = () => apiRequest('/api/support/my-conversations', { schema: supportConversationListSchema });

export const getMyConversation = (id: string) =>
  apiRequest(`/api/support/my-conversations/${encodeURIComponent(id)}`, { schema: supportConversationDetailSchema });

export const markMyConversationRead = (id: string) =>
  apiRequest(`/api/support/my-conversations/${encodeURIComponent(id)}/read`, { method: 'POST' });
