import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler, RouteOptions } from 'fastify';

/** OpenAPI security requirements: alternatives, each naming schemes that must all be present. */
export type SecurityRequirement = Record<string, string[]>;

/** What a guard tells the API document: which credentials it takes and what it answers without them. */
export type GuardDocs = {
  /** Alternatives accepted for a request of this method (cookie sessions add the CSRF header to state changes). */
  security: (method: string) => SecurityRequirement[];
  /** Refusals it answers, by status: always 401, 403 for roles or a missing CSRF token. */
  refusals: Partial<Record<401 | 403, string>>;
};

const guardDocs = Symbol('okpay.guard');
export type Guard = onRequestAsyncHookHandler & { [guardDocs]: GuardDocs };

/**
 * An authentication check for a route. Routes declare it as `preHandler: guard`; installGuards
 * runs it onRequest instead, before the body is read or validated, so a caller without
 * credentials learns nothing but 401 (and a stranger's body costs no parsing).
 */
export function defineGuard(docs: GuardDocs, check: (request: FastifyRequest) => Promise<void>): Guard {
  return Object.assign(async (request: FastifyRequest) => check(request), { [guardDocs]: docs }) as Guard;
}

/** What a guard documents, to build another from it. */
export function docsOf(guard: Guard): GuardDocs {
  return guard[guardDocs];
}

function isGuard(hook: unknown): hook is Guard {
  return typeof hook === 'function' && guardDocs in hook;
}

const hooksOf = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The guards of a route, wherever it declared them. */
export function routeGuards(route: Pick<RouteOptions, 'onRequest' | 'preValidation' | 'preHandler'>): GuardDocs[] {
  return [route.onRequest, route.preValidation, route.preHandler]
    .flatMap(hooksOf)
    .filter(isGuard)
    .map((guard) => guard[guardDocs]);
}

/** Moves every route's guards to the front of its onRequest hooks; install before routes are added. */
export function installGuards(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const declared = [route.preValidation, route.preHandler].flatMap(hooksOf);
    const guards = declared.filter(isGuard);
    if (guards.length === 0) return;
    const without = (value: unknown) => {
      const rest = hooksOf(value).filter((hook) => !isGuard(hook));
      return rest.length > 0 ? rest : undefined;
    };
    route.preValidation = without(route.preValidation) as RouteOptions['preValidation'];
    route.preHandler = without(route.preHandler) as RouteOptions['preHandler'];
    route.onRequest = [...guards, ...hooksOf(route.onRequest)] as RouteOptions['onRequest'];
  });
}
