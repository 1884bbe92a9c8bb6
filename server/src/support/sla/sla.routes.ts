import { errorBodySchema, saveSlaPolicyRequestSchema, slaAtRiskSchema, slaPolicyNameSchema, slaSettingsSchema } from '@okpay/contracts';
import { z } from 'zod';
import { requireStaff, staffOf } from '../../identity/index.js';
import type { App } from '../../platform/index.js';
import type { SupportDeps } from '../support-deps.js';
import { listSlaAtRisk } from './list-sla-at-risk.js';
import { removeSlaPolicy } from './remove-sla-policy.js';
import { saveSlaPolicy } from './save-sla-policy.js';
import { currentSlaEnvironment } from './sla-rules.js';
import { slaSettings } from './sla-settings.js';

const policyParams = z.strictObject({ name: slaPolicyNameSchema });
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

/** SLA policies (supervisors read, admins change) and what is at risk now. */
export async function registerSlaRoutes(app: App, deps: SupportDeps) {
  const supervisors = requireStaff(deps, ['supervisor', 'admin']);
  const admins = requireStaff(deps, ['admin']);
  const actor = (request: Parameters<typeof staffOf>[0]) => ({ staffId: staffOf(request).staffId, ip: request.ip });
  const settings = async () => {
    const environment = await currentSlaEnvironment(deps);
    return slaSettings(environment.rules, environment.hours);
  };

  app.get(
    '/api/agent/sla/policies',
    {
      schema: {
        tags: ['agent console'],
        summary:
          'SLA policies per channel and priority (optionally category), with the calendars a target may count in (supervisors, admins)',
        response: { 200: slaSettingsSchema, ...errors },
      },
      preHandler: supervisors,
    },
    settings,
  );

  app.put(
    '/api/agent/sla/policies/:name',
    {
      schema: {
        tags: ['agent console'],
        summary:
          'Create or change an SLA policy: first-reply, next-reply and resolution targets in business time of a calendar or on the wall clock (admins)',
        params: policyParams,
        body: saveSlaPolicyRequestSchema,
        response: { 200: slaSettingsSchema, ...errors, 409: errorBodySchema },
      },
      preHandler: admins,
    },
    async (request) => {
      await saveSlaPolicy(deps, request.params.name, request.body, actor(request));
      return settings();
    },
  );

  app.delete(
    '/api/agent/sla/policies/:name',
    {
      schema: {
        tags: ['agent console'],
        summary: 'Remove an SLA policy an admin made, or reset a shipped one to what ships (admins)',
        params: policyParams,
        response: { 200: slaSettingsSchema, ...errors },
      },
      preHandler: admins,
    },
    async (request) => {
      await removeSlaPolicy(deps, request.params.name, actor(request));
      return settings();
    },
  );

  app.get(
    '/api/agent/sla/at-risk',
    {
      schema: {
        tags: ['agent console'],
        summary: 'Running SLA clocks past their warning share or breached, most urgent first (supervisors, admins)',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: slaAtRiskSchema, ...errors },
      },
      preHandler: supervisors,
    },
    async (request) => listSlaAtRisk(deps, request.query.limit),
  );
}
