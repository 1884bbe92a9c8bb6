import http from 'node:http';
import { measure } from './harness.js';

/**
 * The HTTP load of bench:help, in a process of its own so the server's CPU is measured alone:
 * `concurrency` keep-alive clients ask the given URLs in turn for `seconds`, then the sample and this
 * process's CPU time go back to the parent.
 */
type Order = { urls: string[]; concurrency: number; seconds: number };

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function get(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`status ${response.statusCode}`))));
    });
    request.on('error', reject);
  });
}

process.on('message', async (order: Order) => {
  const cpu = process.cpuUsage();
  const sample = await measure('HTTP', order.concurrency, order.seconds, (worker, iteration) =>
    get(order.urls[(worker * 7 + iteration) % order.urls.length] ?? ''),
  );
  const used = process.cpuUsage(cpu);
  process.send?.({ sample, cpuMs: (used.user + used.system) / 1000 }, () => process.exit(0));
});
