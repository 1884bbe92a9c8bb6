import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { operationIdFor } from './openapi.js';

type Schema = { $ref?: string; properties?: { error?: { required?: string[] } } };
type Response = { content?: Record<string, { schema?: Schema }> };
type Operation = { operationId?: string; security?: Array<Record<string, string[]>>; responses: Record<string, Response> };
type Document = {
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown> };
};

let runtime: Runtime;
let document: Document;
beforeAll(async () => {
  runtime = await startTestRuntime();
  document = runtime.app.swagger() as unknown as Document;
});
afterAll(() => runtime?.close());

const operations = () =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, method, path, operation })),
  );
const errorRef = '#/components/schemas/ErrorBody';

describe('the OpenAPI document', () => {
  it('passes redocly lint with the recommended rules, warnings included', async () => {
    const problems = await lintFromString({
      source: JSON.stringify(document),
      absoluteRef: 'okpay-openapi.json',
      config: await createConfig({ extends: ['recommended'] }),
    });
    expect(
      problems.map((problem) => `${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer}`),
    ).toEqual([]);
  });

  it('names the server and gives every operation a unique, stable operationId', () => {
    expect(document.servers).toEqual([expect.objectContaining({ url: 'http://okpay.test' })]);
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('postWalletFxQuotesByIdExecute');
    expect(operationIdFor('GET', '/api/wallet/transactions.csv')).toBe('getWalletTransactionsCsv');
  });

  it('lists every 4xx and 5xx with the one error body, and a 4XX for refusals of the operation’s own', () => {
    for (const { name, operation } of operations()) {
      const refusals = Object.entries(operation.responses).filter(([status]) => /^[45]/.test(status));
      expect(
        refusals.map(([status]) => status),
        name,
      ).toEqual(expect.arrayContaining(['400', '4XX', '5XX']));
      for (const [status, response] of refusals) {
        const schema = response.content?.['application/json']?.schema;
        // The one exception to the bare error body: a declined top-up is the top-up, with the error beside it.
        const hasErrorShape = schema?.$ref === errorRef || schema?.properties?.error?.required?.join() === 'code,message';
        expect(hasErrorShape, `${name} ${status}`).toBe(true);
      }
    }
  });

  it('applies the security schemes: public operations need nothing, cookie state changes need the CSRF header', () => {
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual([
      'bearer',
      'chatToken',
      'csrfToken',
      'customerSession',
      'signedLink',
      'staffSession',
    ]);
    const security = (name: string) => operations().find((operation) => operation.name === name)?.operation.security;
    expect(security('POST /api/auth/login')).toEqual([]);
    expect(security('GET /api/support/status')).toEqual([]);
    expect(security('GET /api/me')).toEqual([{ bearer: [] }, { customerSession: [] }]);
    expect(security('POST /api/wallet/transfers')).toEqual([{ bearer: [] }, { customerSession: [], csrfToken: [] }]);
    expect(security('PUT /api/agent/fx/rates/{currency}')).toEqual([{ bearer: [] }, { staffSession: [], csrfToken: [] }]);
    expect(security('GET /api/support/conversations')).toEqual([{ chatToken: [] }]);
    for (const { name, operation } of operations()) {
      if ((operation.security ?? []).length > 0) expect(Object.keys(operation.responses), name).toContain('401');
    }
  });

  it('lists the success statuses the operations answer', () => {
    const statuses = (name: string) => Object.keys(operations().find((operation) => operation.name === name)?.operation.responses ?? {});
    expect(statuses('POST /api/auth/register')).toContain('201');
    expect(statuses('POST /api/auth/logout')).toContain('204');
    expect(statuses('DELETE /api/wallet/cards/{id}')).toContain('204');
    expect(statuses('POST /api/auth/password-reset')).toContain('202');
    expect(statuses('POST /api/support/offline-messages')).toContain('201');
    expect(statuses('POST /api/agent/conversations/{id}/messages')).toContain('201');
    expect(statuses('POST /api/wallet/top-ups')).toEqual(expect.arrayContaining(['201', '202', '402']));
    for (const { name, operation } of operations()) {
      expect(Object.keys(operation.responses).filter((status) => status.startsWith('2')).length, name).toBeGreaterThan(0);
    }
  });
});
