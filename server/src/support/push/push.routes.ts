import {
  noContentSchema,
  notificationPreferencesSchema,
  notificationPreferencesUpdateSchema,
  pushDeviceListSchema,
  pushDeviceSchema,
  pushPublicKeySchema,
  pushSubscribeRequestSchema,
  pushUnsubscribeRequestSchema,
} from '@okpay/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { customerOf, requireCustomer } from '../../identity/index.js';
import type { App } from '../../platform/index.js';
import type { SupportDeps } from '../support-deps.js';
import type { DeviceContext } from './device-subscription.js';
import { listPushDevices } from './list-push-devices.js';
import { removePushDevice, unsubscribeDevice } from './remove-push-device.js';
import { renewDevice } from './renew-device.js';
import { getNotificationPreferences, saveNotificationPreferences } from './save-notification-preferences.js';
import { subscribeDevice } from './subscribe-device.js';
import { vapidKeysOf } from './vapid-keys.js';

const deviceParams = z.strictObject({ id: z.uuid() });

/** Web Push for the customer's devices: the key to subscribe with, this device on and off, the devices page and preferences. */
export async function registerPushRoutes(app: App, deps: SupportDeps) {
  const customerOnly = requireCustomer(deps);
  const contextOf = (request: FastifyRequest): DeviceContext => {
    const auth = customerOf(request);
    const userAgent = request.headers['user-agent'];
    return { customerId: auth.customerId, sessionId: auth.session.id, userAgent, locale: request.locale };
  };

  app.get(
    '/api/push/public-key',
    {
      schema: {
        tags: ['push'],
        summary: 'The VAPID public key browsers subscribe with (applicationServerKey)',
        response: { 200: pushPublicKeySchema },
      },
    },
    async (_request, reply) => {
      const { publicKey } = await vapidKeysOf(deps);
      reply.header('cache-control', 'public, max-age=300');
      return { publicKey };
    },
  );

  app.post(
    '/api/push/subscriptions',
    {
      schema: {
        tags: ['push'],
        summary: 'Turn notifications on for this browser (its PushSubscription as JSON)',
        body: pushSubscribeRequestSchema,
        response: { 201: pushDeviceSchema },
      },
      preHandler: customerOnly,
    },
    async (request, reply) => reply.status(201).send(await subscribeDevice(deps, request.body, contextOf(request))),
  );

  app.put(
    '/api/push/subscriptions',
    {
      schema: {
        tags: ['push'],
        summary: 'Refresh this browser’s subscription when the app opens; 404 once it was turned off or its session signed out',
        body: pushSubscribeRequestSchema,
        response: { 200: pushDeviceSchema },
      },
      preHandler: customerOnly,
    },
    async (request) => renewDevice(deps, request.body, contextOf(request)),
  );

  app.post(
    '/api/push/unsubscribe',
    {
      schema: {
        tags: ['push'],
        summary: 'Turn notifications off for this browser (by its endpoint)',
        body: pushUnsubscribeRequestSchema,
        response: { 204: noContentSchema },
      },
      preHandler: customerOnly,
    },
    async (request, reply) => {
      await unsubscribeDevice(deps, customerOf(request).customerId, request.body.endpoint);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/push/devices',
    {
      schema: {
        tags: ['push'],
        summary: 'The devices that receive this customer’s notifications',
        response: { 200: pushDeviceListSchema },
      },
      preHandler: customerOnly,
    },
    async (request) => {
      const auth = customerOf(request);
      return { devices: await listPushDevices(deps, { customerId: auth.customerId, sessionId: auth.session.id }) };
    },
  );

  app.delete(
    '/api/push/devices/:id',
    {
      schema: {
        tags: ['push'],
        summary: 'Stop notifications to one device',
        params: deviceParams,
        response: { 204: noContentSchema },
      },
      preHandler: customerOnly,
    },
    async (request, reply) => {
      await removePushDevice(deps, customerOf(request).customerId, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/push/preferences',
    {
      schema: {
        tags: ['push'],
        summary: 'Which notifications this customer wants, and their quiet hours',
        response: { 200: notificationPreferencesSchema },
      },
      preHandler: customerOnly,
    },
    async (request) => getNotificationPreferences(deps, customerOf(request).customerId),
  );

  app.put(
    '/api/push/preferences',
    {
      schema: {
        tags: ['push'],
        summary: 'Choose which notifications to get, and quiet hours (kept on each device’s own clock)',
        body: notificationPreferencesUpdateSchema,
        response: { 200: notificationPreferencesSchema },
      },
      preHandler: customerOnly,
    },
    async (request) => saveNotificationPreferences(deps, customerOf(request).customerId, request.body),
  );
}
