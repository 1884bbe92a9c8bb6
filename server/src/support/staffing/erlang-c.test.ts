import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averageSpeedOfAnswer, erlangC, requiredAgents, serviceLevel } from './erlang-c.js';

describe('Erlang C', () => {
  it('matches the published worked example: 360 calls in 30 minutes, 4-minute handle time, 55 agents, 15 seconds', () => {
    const traffic = (360 * 240) / 1800;
    expect(traffic).toBe(48);
    expect(erlangC(traffic, 55)).toBeCloseTo(0.2387, 4);
    expect(serviceLevel(traffic, 55, 15, 240)).toBeCloseTo(0.846, 3);
    expect(averageSpeedOfAnswer(traffic, 55, 240)).toBeCloseTo(8.2, 1);
    expect(traffic / 55).toBeCloseTo(0.873, 3);
  });

  it('staffs 100 calls in 30 minutes at 3 minutes each for 80 % in 20 seconds with 14 agents (13 reach 79.6 %)', () => {
    const answer = requiredAgents({
      contacts: 100,
      intervalMinutes: 30,
      ahtSeconds: 180,
      answerWithinSeconds: 20,
      serviceLevel: 0.8,
      maxOccupancy: 1,
      shrinkage: 0,
    });
    expect(answer.agents).toBe(14);
    expect(answer.serviceLevel).toBeCloseTo(0.8884, 4);
    expect(serviceLevel(10, 13, 20, 180)).toBeCloseTo(0.7956, 4);
  });

  it('answers the operator example: 240 chats, 5 minutes, 90 % in 30 s, occupancy at most 88 %, 32 % shrinkage', () => {
    const answer = requiredAgents({
      contacts: 240,
      intervalMinutes: 30,
      ahtSeconds: 300,
      answerWithinSeconds: 30,
      serviceLevel: 0.9,
      maxOccupancy: 0.88,
      shrinkage: 0.32,
    });
    expect(answer).toMatchObject({ agents: 48, scheduled: 71, trafficErlangs: 40 });
    expect(answer.serviceLevel).toBeCloseTo(0.9299, 4);
    expect(answer.occupancy).toBeCloseTo(0.8333, 4);
    expect(answer.waitProbability).toBeCloseTo(0.156, 3);
    // One fewer misses the target.
    expect(serviceLevel(40, 47, 30, 300)).toBeLessThan(0.9);
  });

  it('stays finite for large traffic: 950 Erlangs on 1,000 agents', () => {
    expect(erlangC(950, 1000)).toBeCloseTo(0.0683, 4);
    const answer = requiredAgents({
      contacts: 57_000,
      intervalMinutes: 30,
      ahtSeconds: 30,
      answerWithinSeconds: 20,
      serviceLevel: 0.8,
      maxOccupancy: 1,
      shrinkage: 0.3,
    });
    expect(Number.isFinite(answer.serviceLevel)).toBe(true);
    expect(answer.agents).toBeGreaterThan(950);
  });

  it('reports an unstaffable floor when agents do not exceed the traffic, and needs nobody for no contacts', () => {
    expect(erlangC(10, 10)).toBe(1);
    expect(serviceLevel(10, 9, 20, 180)).toBe(0);
    expect(
      requiredAgents({
        contacts: 0,
        intervalMinutes: 30,
        ahtSeconds: 300,
        answerWithinSeconds: 20,
        serviceLevel: 0.8,
        maxOccupancy: 0.85,
        shrinkage: 0.3,
      }),
    ).toMatchObject({
      agents: 0,
      scheduled: 0,
      serviceLevel: 1,
    });
  });

  it('waits less with more agents, serves more within a longer target, and gives the same answer in seconds or minutes', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 300, noNaN: true }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 120 }),
        (traffic, extra, target) => {
          const agents = Math.floor(traffic) + extra;
          expect(erlangC(traffic, agents + 1)).toBeLessThanOrEqual(erlangC(traffic, agents) + 1e-12);
          expect(serviceLevel(traffic, agents + 1, target, 180)).toBeGreaterThanOrEqual(serviceLevel(traffic, agents, target, 180) - 1e-12);
          expect(serviceLevel(traffic, agents, target + 10, 180)).toBeGreaterThanOrEqual(
            serviceLevel(traffic, agents, target, 180) - 1e-12,
          );
          // 3 minutes and 20 s is 180 s and 20 s, or 3 and 1/3 minutes.
          expect(serviceLevel(traffic, agents, 20, 180)).toBeCloseTo(serviceLevel(traffic, agents, 20 / 60, 3), 10);
        },
      ),
      { seed: 20_261_204, numRuns: 200 },
    );
  });
});
