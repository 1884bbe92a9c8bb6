import {
  type ReportBucket,
  type ReportName,
  ratingFollowUpSchema,
  reportConversationsSchema,
  reportSchema,
  staffingPlanSchema,
} from '@okpay/contracts';
import { z } from 'zod';
import { apiRequest } from './client';

/** The filters every report takes; dates are local days (YYYY-MM-DD) in the team's zone. */
export type ReportFilters = {
  from: string;
  to: string;
  channel?: string;
  agentId?: string;
  category?: string;
  bucket: ReportBucket;
};

const query = (filters: Record<string, string | number | undefined>) =>
  new URLSearchParams(
    Object.entries(filters).filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '') as Array<
      [string, string]
    >,
  ).toString();

export const getReport = (name: ReportName, filters: ReportFilters) =>
  apiRequest(`/api/agent/reports/${name}?${query(filters)}`, { schema: reportSchema });

/** The address of one table's CSV, for a plain download link (the session cookie goes with it). */
export const reportCsvUrl = (name: ReportName, filters: ReportFilters, table: string, locale: string) =>
  `/api/agent/reports/${name}.csv?${query({ ...filters, table, locale })}`;

export const getReportConversations = (filters: Omit<ReportFilters, 'bucket'> & { metric: string; limit?: number }) =>
  apiRequest(`/api/agent/reports/conversations?${query(filters)}`, { schema: reportConversationsSchema });

export type StaffingFilters = {
  date: string;
  channel: 'chat' | 'phone' | 'email';
  answerWithinSeconds: number;
  serviceLevel: number;
  maxOccupancy: number;
  shrinkage: number;
  concurrency?: number;
  weeks?: number;
};

export const getStaffingPlan = (filters: StaffingFilters) =>
  apiRequest(`/api/agent/reports/staffing?${query(filters)}`, { schema: staffingPlanSchema });

export const listRatingFollowUps = () =>
  apiRequest('/api/agent/ratings/follow-ups', { schema: z.object({ followUps: z.array(ratingFollowUpSchema) }) });
