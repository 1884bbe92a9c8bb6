import { expect } from 'vitest';
import type { HttpClient } from './http.js';

export type EmailInboxItem = {
  id: string;
  channel: string;
  subject: string | null;
  reference: string | null;
  isVerified: boolean;
  status: string;
  responseDueAt: string | null;
};

export type EmailConversationDetail = {
  conversation: Record<string, unknown> & {
    id: string;
    reference: string;
    status: string;
    customerId: string | null;
    subject: string | null;
    responseDueAt: string | null;
  };
  messages: Array<{ id: string; body: string; authorType: string; redactions: Record<string, number> | null; attachment: unknown }>;
  events: Array<{ type: string; data: Record<string, unknown> }>;
  email: {
    thread: { address: string; isUndeliverable: boolean; bounceStatus: string | null } | null;
    messages: Array<{
      id: string;
      messageId: string | null;
      kind: string;
      status: string;
      subject: string;
      quoted: string | null;
      flags: string[];
      attachments: Array<{ id: string | null; fileName: string; refused: string | null }>;
      lastError: string | null;
    }>;
  };
};

/** The agent API as the console reads it, for tests of the email channel. */
export function emailConsole(client: HttpClient) {
  const inbox = async (query = 'view=all'): Promise<EmailInboxItem[]> => {
    const answer = await client.get(`/api/agent/conversations?${query}`);
    expect(answer.status).toBe(200);
    return (answer.body as { conversations: EmailInboxItem[] }).conversations;
  };
  return {
    inbox,
    async detail(id: string): Promise<EmailConversationDetail> {
      const answer = await client.get(`/api/agent/conversations/${id}`);
      expect(answer.status).toBe(200);
      return answer.body as EmailConversationDetail;
    },
    /** Every conversation whose subject is exactly this, newest first. */
    async withSubject(subject: string): Promise<EmailInboxItem[]> {
      return (await inbox(`view=all&q=${encodeURIComponent(subject)}&limit=100`)).filter((item) => item.subject === subject);
    },
  };
}
