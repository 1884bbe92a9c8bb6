import type { StaffingAnswer, StaffingParameters } from '@okpay/contracts';

/**
 * Erlang C (M/M/c queue) for contact centres, written out here: traffic A = contacts × handle time
 * ÷ interval; the chance a contact waits C(n, A); the service level (answered within t)
 * SL = 1 − C·e^(−(n−A)·t/AHT); the average speed of answer C·AHT/(n−A); occupancy A/n.
 * C is computed from Erlang B's recurrence B₀ = 1, Bₖ = A·Bₖ₋₁/(k + A·Bₖ₋₁), never from Aⁿ/n!,
 * which overflows a double past 170!: 1,000 agents on 950 Erlangs is fine.
 */

/** Erlang B: the blocking probability with n servers. */
export function erlangB(traffic: number, agents: number): number {
  let blocking = 1;
  for (let k = 1; k <= agents; k++) blocking = (traffic * blocking) / (k + traffic * blocking);
  return blocking;
}

/** From Erlang B with n servers, the probability of waiting (1 when n ≤ A: the queue grows without end). */
function erlangCFromB(traffic: number, agents: number, blocking: number): number {
  if (agents <= traffic) return 1;
  return (agents * blocking) / (agents - traffic * (1 - blocking));
}

/** The probability that a contact waits at all, with n agents on A Erlangs. */
export function erlangC(traffic: number, agents: number): number {
  if (traffic <= 0) return 0;
  return erlangCFromB(traffic, agents, erlangB(traffic, agents));
}

/** The share answered within `answerWithinSeconds`. */
export function serviceLevel(traffic: number, agents: number, answerWithinSeconds: number, ahtSeconds: number): number {
  if (traffic <= 0) return 1;
  if (agents <= traffic) return 0;
  return 1 - erlangC(traffic, agents) * Math.exp((-(agents - traffic) * answerWithinSeconds) / ahtSeconds);
}

export function averageSpeedOfAnswer(traffic: number, agents: number, ahtSeconds: number): number {
  if (traffic <= 0) return 0;
  if (agents <= traffic) return Number.POSITIVE_INFINITY;
  return (erlangC(traffic, agents) * ahtSeconds) / (agents - traffic);
}

/** Handle time divided by this when agents hold several chats at once (more chats, less attention each). */
export const concurrencyFactors: Record<number, number> = { 1: 1, 2: 1.7, 3: 2.5, 4: 2.9, 5: 3.5 };

export function concurrencyFactor(concurrency: number): number {
  return concurrencyFactors[Math.min(5, Math.max(1, Math.round(concurrency)))] ?? 1;
}

/**
 * The fewest agents on the floor who meet both the service level and the occupancy cap, what they
 * achieve, and how many to schedule once shrinkage (breaks, training, absence) is allowed for.
 */
export function requiredAgents(parameters: StaffingParameters): StaffingAnswer {
  const traffic = (parameters.contacts * parameters.ahtSeconds) / (parameters.intervalMinutes * 60);
  if (traffic <= 0) {
    return {
      agents: 0,
      scheduled: 0,
      serviceLevel: 1,
      occupancy: 0,
      waitProbability: 0,
      averageSpeedOfAnswerSeconds: 0,
      trafficErlangs: 0,
    };
  }
  // Erlang B for n = 1, 2, … kept as we go: each step is one multiplication, not a new recurrence.
  let blocking = 1;
  let agents = 0;
  const atLeast = Math.max(Math.floor(traffic) + 1, Math.ceil(traffic / parameters.maxOccupancy - 1e-9));
  for (;;) {
    agents += 1;
    blocking = (traffic * blocking) / (agents + traffic * blocking);
    if (agents < atLeast) continue;
    const waitProbability = erlangCFromB(traffic, agents, blocking);
    const achieved = 1 - waitProbability * Math.exp((-(agents - traffic) * parameters.answerWithinSeconds) / parameters.ahtSeconds);
    if (achieved + 1e-12 >= parameters.serviceLevel) {
      return {
        agents,
        scheduled: Math.ceil(agents / (1 - parameters.shrinkage) - 1e-9),
        serviceLevel: achieved,
        occupancy: traffic / agents,
        waitProbability,
        averageSpeedOfAnswerSeconds: (waitProbability * parameters.ahtSeconds) / (agents - traffic),
        trafficErlangs: traffic,
      };
    }
  }
}
