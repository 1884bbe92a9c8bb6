// Support owns conversations in every channel, the live-chat realtime layer, routing, business hours, SLA clocks and the agent console.
export { registerAgentConsoleRoutes } from './agent.routes.js';
export { registerCustomerConversationRoutes } from './conversations/customer-conversations.routes.js';
export { messageWriter } from './conversations/message-writer.js';
export { registerEmailRoutes } from './email/email.routes.js';
export { type EmailChannel, inboundEmailRetention, startEmailChannel } from './email/email-channel.js';
export { replayInbound } from './email/replay-inbound.js';
export {
  importHelpContent,
  registerHelpCentreRoutes,
  registerHelpEditingRoutes,
  registerHelpPages,
  warmUpHelpCentre,
} from './help-centre/index.js';
export {
  addBusinessMinutes,
  BusinessCalendar,
  businessMinutesBetween,
} from './hours/business-calendar.js';
export { describeSupportHours } from './hours/describe-support-hours.js';
export { registerHoursRoutes } from './hours/hours.routes.js';
export { currentHours } from './hours/support-hours.js';
export { relayNotifier } from './notifier.js';
export { registerPhoneRoutes } from './phone/phone.routes.js';
export { registerRecordingRoutes } from './phone/recordings/recordings.routes.js';
export { startRecordings } from './phone/recordings/start-recordings.js';
export { releaseDueCallbacks } from './phone/release-due-callbacks.js';
export { remindUpcomingCallbacks } from './phone/remind-upcoming-callbacks.js';
export { registerVoiceRoutes } from './phone/voice/voice.routes.js';
export { registerPushRoutes } from './push/push.routes.js';
export { pushDeliveryRetention, startPushNotifications } from './push/start-push.js';
export { registerRatingRoutes, startRatings } from './ratings/index.js';
export { type Realtime, startRealtime } from './realtime/realtime-server.js';
export { registerReportRoutes, reportsSubscriber, subscribeReports } from './reports/index.js';
export { markIdleAgentsAway } from './routing/presence.js';
export { routeWaiting } from './routing/route-waiting.js';
export { scheduleSlaEvaluation } from './sla/sla.jobs.js';
export { registerSlaRoutes } from './sla/sla.routes.js';
export { conversationEvents, conversationStatusEvents } from './support.events.js';
export { registerSupportRoutes } from './support.routes.js';
export { subscribeSupport } from './support.subscribers.js';
export type { SupportDeps } from './support-deps.js';
