import {
  agentRatingSchema,
  ratingFollowUpListSchema,
  ratingFollowUpQuerySchema,
  ratingRequestSchema,
  ratingSurveySchema,
  ratingTokenSchema,
} from '@okpay/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireStaff, staffOf } from '../../identity/index.js';
import { type App, defineGuard, type SecurityRequirement } from '../../platform/index.js';
import { chatParticipant, requireChatParticipant } from '../chat-auth.js';
import { staffParticipant } from '../conversations/participant.js';
import { SupportError } from '../support.errors.js';
import type { SupportDeps } from '../support-deps.js';
import { listRatingFollowUps } from './list-rating-follow-ups.js';
import { optOutOfRatings, type RaterAuth, ratingSurveyByToken, ratingSurveyFor, recordRating } from './record-rating.js';
import { reviewRating } from './review-rating.js';

const conversationParams = z.object({ id: z.uuid() });

/** Ratings: the widget and the rating page ask and record; supervisors follow up low ones. */
export async function registerRatingRoutes(app: App, deps: SupportDeps) {
  const chatOnly = requireChatParticipant(deps);
  const supervisors = requireStaff(deps, ['supervisor', 'admin']);
  // The widget proves itself with its chat token; the rating page with the link token in the body.
  const chatTokenOrLink = defineGuard(
    {
      security: (): SecurityRequirement[] => [{ chatToken: [] }, {}],
      refusals: { 401: 'Neither a valid chat token nor a rating link token (realtime_unauthorized)' },
    },
    async (request) => {
      if (request.headers['x-chat-token'] !== undefined) await chatParticipant(deps, request);
    },
  );
  const raterOf = (request: FastifyRequest, token: string | undefined): RaterAuth => {
    if (token) return { kind: 'token', token };
    if (request.chatParticipant) return { kind: 'participant', participant: request.chatParticipant };
    throw SupportError('realtime_unauthorized');
  };

  app.get(
    '/api/support/conversations/:id/rating',
    {
      schema: {
        tags: ['ratings'],
        summary: 'Whether the widget should ask for a rating of this conversation, and the rating given (x-chat-token)',
        params: conversationParams,
        response: { 200: ratingSurveySchema },
      },
      preHandler: chatOnly,
    },
    async (request) => ratingSurveyFor(deps, request.params.id, raterOf(request, undefined)),
  );

  app.post(
    '/api/support/conversations/:id/rating',
    {
      schema: {
        tags: ['ratings'],
        summary: 'Rate a resolved conversation 1–5 with reasons and a comment, or change the rating while that is allowed',
        description:
          'From the widget with its x-chat-token, or from the rating page with the token of the mailed link in the body. Opening a link records nothing: only this request does.',
        params: conversationParams,
        body: ratingRequestSchema,
        response: { 200: ratingSurveySchema },
      },
      preHandler: chatTokenOrLink,
    },
    async (request) => {
      const auth = raterOf(request, request.body.token);
      await recordRating(deps, {
        conversationId: request.params.id,
        auth,
        score: request.body.score,
        reasons: request.body.reasons,
        comment: request.body.comment,
        ipAddress: request.ip,
        userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null,
      });
      return ratingSurveyFor(deps, request.params.id, auth);
    },
  );

  app.post(
    '/api/support/conversations/:id/rating/opt-out',
    {
      schema: {
        tags: ['ratings'],
        summary: 'Never ask this customer (or visitor, or address) for a rating again',
        params: conversationParams,
        body: z.strictObject({ token: ratingTokenSchema.shape.token.optional() }).optional(),
        response: { 200: ratingSurveySchema },
      },
      preHandler: chatTokenOrLink,
    },
    async (request) => optOutOfRatings(deps, request.params.id, raterOf(request, request.body?.token)),
  );

  app.post(
    '/api/support/rating-survey',
    {
      schema: {
        tags: ['ratings'],
        summary: 'The survey a mailed rating link belongs to, for the rating page (the token travels in the body, not the URL)',
        body: ratingTokenSchema,
        response: { 200: ratingSurveySchema },
      },
    },
    async (request) => ratingSurveyByToken(deps, request.body.token),
  );

  app.get(
    '/api/agent/ratings/follow-ups',
    {
      schema: {
        tags: ['ratings'],
        summary: 'Low ratings waiting for a supervisor to follow them up, oldest first',
        querystring: ratingFollowUpQuerySchema,
        response: { 200: ratingFollowUpListSchema },
      },
      preHandler: supervisors,
    },
    async (request) => listRatingFollowUps(deps, request.query.limit),
  );

  app.post(
    '/api/agent/conversations/:id/rating/review',
    {
      schema: {
        tags: ['ratings'],
        summary: 'A supervisor has followed up a low rating',
        params: conversationParams,
        response: { 200: agentRatingSchema },
      },
      preHandler: supervisors,
    },
    async (request) => {
      return reviewRating(deps, request.params.id, staffParticipant(staffOf(request)));
    },
  );
}
