import {
  reportConversationsQuerySchema,
  reportConversationsSchema,
  reportExportQuerySchema,
  reportNames,
  reportQuerySchema,
  reportSchema,
  staffingPlanSchema,
  staffingQuerySchema,
} from '@okpay/contracts';
import { requireStaff } from '../../identity/index.js';
import type { App } from '../../platform/index.js';
import { planStaffing } from '../staffing/plan-staffing.js';
import type { SupportDeps } from '../support-deps.js';
import { exportReportTable, getReport, listReportConversations } from './get-report.js';

/** Supervisors' reports: JSON for the console, CSV for every table, and the conversations behind a number. */
export async function registerReportRoutes(app: App, deps: SupportDeps) {
  const supervisors = requireStaff(deps, ['supervisor', 'admin']);

  for (const name of reportNames) {
    app.get(
      `/api/agent/reports/${name}`,
      {
        schema: {
          tags: ['reports'],
          summary: `The ${name} report for whole days in the team's zone, with optional channel, agent and category filters`,
          querystring: reportQuerySchema,
          response: { 200: reportSchema },
        },
        preHandler: supervisors,
      },
      async (request) => getReport(deps, name, request.query, request.locale),
    );

    app.get(
      `/api/agent/reports/${name}.csv`,
      {
        schema: {
          tags: ['reports'],
          summary: `One table of the ${name} report as CSV (safe to open in Excel, WPS and LibreOffice)`,
          querystring: reportExportQuerySchema,
        },
        preHandler: supervisors,
      },
      async (request, reply) => {
        const { locale = request.locale, ...query } = request.query;
        const { fileName, csv } = await exportReportTable(deps, name, query, locale);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${fileName}"`)
          .send(csv);
      },
    );
  }

  app.get(
    '/api/agent/reports/staffing',
    {
      schema: {
        tags: ['reports'],
        summary: 'Staffing for a day: contacts forecast per half hour from history, agents required by Erlang C, against those online',
        querystring: staffingQuerySchema,
        response: { 200: staffingPlanSchema },
      },
      preHandler: supervisors,
    },
    async (request) => planStaffing(deps, request.query),
  );

  app.get(
    '/api/agent/reports/conversations',
    {
      schema: {
        tags: ['reports'],
        summary: 'The conversations behind a report number: the facts of one metric with the same filters, newest first',
        querystring: reportConversationsQuerySchema,
        response: { 200: reportConversationsSchema },
      },
      preHandler: supervisors,
    },
    async (request) => listReportConversations(deps, request.query, request.locale),
  );
}
