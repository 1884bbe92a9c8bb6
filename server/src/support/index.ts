// Support owns conversations in every channel, the live-chat realtime layer, routing and the agent console.
export { registerAgentConsoleRoutes } from './agent.routes.js';
export { relayNotifier } from './notifier.js';
export { type Realtime, startRealtime } from './realtime/realtime-server.js';
export { markIdleAgentsAway } from './routing/presence.js';
export { routeWaiting } from './routing/route-waiting.js';
export { registerSupportRoutes } from './support.routes.js';
export type { SupportDeps } from './support-deps.js';
