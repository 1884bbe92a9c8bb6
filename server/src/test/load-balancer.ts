import net from 'node:net';

export type LoadBalancer = { url: string; close(): Promise<void> };

/**
 * A TCP load balancer on loopback in front of several nodes, like the one in production: each new
 * connection goes to the next node in turn, passing over nodes that refuse it. A node that stops
 * takes its connections with it; clients reconnect through here and land on a node still up.
 */
export async function startLoadBalancer(nodeUrls: string[]): Promise<LoadBalancer> {
  const targets = nodeUrls.map((url) => {
    const parsed = new URL(url);
    return { host: parsed.hostname, port: Number(parsed.port) };
  });
  let next = 0;
  const open = new Set<net.Socket>();
  const connectUpstream = (start: number, tried = 0): Promise<net.Socket> =>
    new Promise((resolve, reject) => {
      const target = targets[(start + tried) % targets.length];
      if (!target || tried >= targets.length) return reject(new Error('no node accepts connections'));
      const upstream = net.connect(target.port, target.host);
      upstream.once('connect', () => {
        upstream.removeAllListeners('error');
        resolve(upstream);
      });
      upstream.once('error', () => {
        upstream.destroy();
        connectUpstream(start, tried + 1).then(resolve, reject);
      });
    });
  const server = net.createServer((downstream) => {
    downstream.pause();
    open.add(downstream);
    downstream.on('close', () => open.delete(downstream));
    const start = next;
    next = (next + 1) % targets.length;
    connectUpstream(start).then(
      (upstream) => {
        open.add(upstream);
        upstream.on('close', () => {
          open.delete(upstream);
          downstream.destroy();
        });
        downstream.on('close', () => upstream.destroy());
        upstream.on('error', () => downstream.destroy());
        downstream.on('error', () => upstream.destroy());
        downstream.pipe(upstream);
        upstream.pipe(downstream);
        downstream.resume();
      },
      () => downstream.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
