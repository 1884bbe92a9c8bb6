import type { AgentWithLoad } from '@okpay/contracts';
import type { Queryable } from '../../platform/index.js';
import { listAgentLoads } from './routing.repository.js';

/** Active staff with their presence and how many live chats each holds, for assignment and the supervisor. */
export async function listAgents(db: Queryable): Promise<AgentWithLoad[]> {
  return (await listAgentLoads(db)).map((agent) => ({ ...agent, lastActiveAt: agent.lastActiveAt?.toISOString() ?? null }));
}
