import type pg from 'pg';

/**
 * The Postgres adapter holds one pooled connection for LISTEN and takes another when it ends.
 * This wrapper makes that safe and lossless:
 * - a LISTEN connection that ends goes back to the pool as broken: the adapter never releases it,
 *   so the pool would count it for ever, until no connection was left for the next LISTEN;
 * - once LISTEN is active on a new connection, `onRelistening` runs: what other nodes notified
 *   while this node was not listening is lost, so this node's clients are told to catch up;
 * - once LISTEN is active on the first connection, `onListening` runs (the node hears the others).
 */
export function recoveringListener(pool: pg.Pool, onRelistening: () => void, onListening: () => void = () => undefined): pg.Pool {
  let acquired = 0;
  const bound = <T extends object>(target: T, property: string | symbol) => {
    const value = Reflect.get(target, property, target);
    return typeof value === 'function' ? value.bind(target) : value;
  };
  return new Proxy(pool, {
    get(target, property) {
      if (property !== 'connect') return bound(target, property);
      return async () => {
        const client = await target.connect();
        const isAgain = acquired++ > 0;
        client.once('end', () => {
          try {
            client.release(new Error('the LISTEN connection ended'));
          } catch {
            // Released already (the adapter closing).
          }
        });
        const listened = isAgain ? onRelistening : onListening;
        return new Proxy(client, {
          get(inner, name) {
            if (name !== 'query') return bound(inner, name);
            return (text: unknown, ...rest: unknown[]) => {
              const result = (inner.query as (...args: unknown[]) => Promise<unknown>)(text, ...rest);
              if (typeof text === 'string' && text.startsWith('LISTEN')) result.then(listened, () => undefined);
              return result;
            };
          },
        });
      };
    },
  });
}
