import { describe, expect, it, vi } from 'vitest';
import { replayQueue } from './public-api';

function fakeApi() {
  return { open: vi.fn(), close: vi.fn(), setIdentityProvider: vi.fn(), setLocale: vi.fn() };
}

describe('calls queued before the script loaded', () => {
  it('replays them in order with their arguments', () => {
    const api = fakeApi();
    const order: string[] = [];
    for (const [name, mock] of Object.entries(api)) mock.mockImplementation(() => order.push(name));
    const provider = async () => 'token';
    replayQueue(
      [
        ['setLocale', ['en']],
        ['setIdentityProvider', [provider]],
        ['open', [{ category: 'top_up', links: [{ type: 'top_up', id: 'x' }] }]],
      ],
      api,
    );
    expect(order).toEqual(['setLocale', 'setIdentityProvider', 'open']);
    expect(api.setLocale).toHaveBeenCalledWith('en');
    expect(api.setIdentityProvider).toHaveBeenCalledWith(provider);
    expect(api.open).toHaveBeenCalledWith({ category: 'top_up', links: [{ type: 'top_up', id: 'x' }] });
  });

  it('skips unknown methods and junk, and keeps going after a call that throws', () => {
    const api = fakeApi();
    api.setLocale.mockImplementation(() => {
      throw new Error('boom');
    });
    replayQueue([null, 'open', ['eval', ['alert(1)']], ['setLocale', ['en']], ['close']], api);
    expect(api.close).toHaveBeenCalledTimes(1);
    expect(api.open).not.toHaveBeenCalled();
  });

  it('does nothing without a queue', () => {
    const api = fakeApi();
    replayQueue(undefined, api);
    replayQueue({ q: 1 }, api);
    expect(Object.values(api).every((mock) => mock.mock.calls.length === 0)).toBe(true);
  });
});
