import {
  noContentSchema,
  notificationPreferencesSchema,
  pushDeviceListSchema,
  pushDeviceSchema,
  pushPublicKeySchema,
  pushSubscribeRequestSchema,
  pushUnsubscribeRequestSchema,
} from '@okpay/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { customerOf, requireCustomer } from '../../identity/index.js';
import type { App } from '../../platform/http/types.js';
import { parseMinute } from '../hours/zoned-time.js';
import type { SupportDeps } from '../support-deps.js';
import { PushError } from './push.errors.js';
import { deleteSubscription, findPreferences, listSubscriptions, savePreferences } from './push.repository.js';
import { type DeviceContext, renewDevice, subscribeDevice, toPushDevice } from './subscribe-device.js';
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
    async (request, reply) => {
      const context = contextOf(request);
      const row = await subscribeDevice(deps, request.body, context);
      return reply.status(201).send(toPushDevice(row, context.sessionId));
    },
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
    async (request) => {
      const context = contextOf(request);
      return toPushDevice(await renewDevice(deps, request.body, context), context.sessionId);
    },
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
      await deleteSubscription(deps.db, { customerId: customerOf(request).customerId, endpoint: request.body.endpoint });
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
      const rows = await listSubscriptions(deps.db, auth.customerId);
      return { devices: rows.map((row) => toPushDevice(row, auth.session.id)) };
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
      const removed = await deleteSubscription(deps.db, { customerId: customerOf(request).customerId, id: request.params.id });
      if (!removed) throw PushError('push_device_not_found');
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
    async (request) => {
      const { push, quietHours } = await findPreferences(deps.db, customerOf(request).customerId);
      return { push, quietHours };
    },
  );

  app.put(
    '/api/push/preferences',
    {
      schema: {
        tags: ['push'],
        summary: 'Choose which notifications to get, and quiet hours (kept on each device’s own clock)',
        body: notificationPreferencesSchema,
        response: { 200: notificationPreferencesSchema },
      },
      preHandler: customerOnly,
    },
    async (request) => {
      const customerId = customerOf(request).customerId;
      const hours = request.body.quietHours;
      // 24:00 as a start is the next midnight.
      const quiet = hours ? { start: (parseMinute(hours.start) ?? 0) % 1440, end: parseMinute(hours.end) ?? 0 } : null;
      await savePreferences(deps.db, customerId, { push: request.body.push, quiet }, deps.clock.now());
      const { push, quietHours } = await findPreferences(deps.db, customerId);
      return { push, quietHours };
    },
  );
}
