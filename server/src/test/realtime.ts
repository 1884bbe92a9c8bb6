import type { AddressInfo } from 'node:net';
import type { StaffRole } from '@okpay/contracts';
import { io, type Socket } from 'socket.io-client';
import { createStaffMember, signRealtimeToken } from '../identity/index.js';
import type { Runtime } from '../runtime.js';
import { signedInCustomer } from './wallet.js';

/** Starts the node listening on a free loopback port and returns its base URL. */
export async function listen(runtime: Runtime): Promise<string> {
  await runtime.app.listen({ host: '127.0.0.1', port: 0 });
  const address = runtime.app.server.address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

/** A real socket.io-client connection, resolved once the handshake succeeds. */
export async function connect(
  baseUrl: string,
  token: string,
  options: { locale?: string; reconnection?: boolean; reconnectionDelay?: number } = {},
): Promise<Socket> {
  const socket = io(baseUrl, {
    path: '/socket.io',
    auth: { token, locale: options.locale ?? 'en' },
    transports: ['websocket'],
    reconnection: options.reconnection ?? false,
    reconnectionDelay: options.reconnectionDelay ?? 1_000,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return socket;
}

/** Emits with an acknowledgement and returns the server's answer. */
export async function request<T = Record<string, unknown>>(
  socket: Socket,
  event: string,
  payload: unknown,
  timeoutMs = 10_000,
): Promise<T> {
  return (await socket.timeout(timeoutMs).emitWithAck(event, payload)) as T;
}

/** Resolves with the next event matching the predicate. */
export function nextEvent<T = Record<string, unknown>>(
  socket: Socket,
  event: string,
  match: (payload: T) => boolean = () => true,
  timeoutMs = 10_000,
) {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(payload);
    };
    socket.on(event, handler);
  });
}

let staffCounter = 0;
export async function createAgent(runtime: Runtime, options: { role?: StaffRole; capacity?: number; name?: string } = {}) {
  staffCounter += 1;
  const staff = await createStaffMember(
    runtime.deps,
    {
      email: `agent.${Date.now().toString(36)}.${staffCounter}@okpay.test`,
      displayName: options.name ?? `Agent ${staffCounter}`,
      role: options.role ?? 'agent',
      password: 'Agent-Password-Long-1',
      chatCapacity: options.capacity ?? 3,
    },
    { type: 'system', id: 'test' },
  );
  const { token } = signRealtimeToken(runtime.deps.config.sessionSecret, { kind: 'staff', staffId: staff.id }, runtime.deps.clock.now());
  return { id: staff.id, name: staff.displayName, email: staff.email, token };
}

export async function createChatCustomer(runtime: Runtime, displayName?: string) {
  const customer = await signedInCustomer(runtime, { displayName });
  const { token } = signRealtimeToken(
    runtime.deps.config.sessionSecret,
    { kind: 'customer', customerId: customer.id },
    runtime.deps.clock.now(),
  );
  return { ...customer, token };
}

export function clientMessageId(): string {
  return `m-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
