import type { ConversationCategory, LinkedObject } from '@okpay/contracts';

/** What a page hands the chat widget so the agent sees what the customer is asking about. */
export type ChatOpenOptions = { category: ConversationCategory; links?: LinkedObject[] };

/** The chat widget's global, defined by the widget script once it has loaded. */
export type ChatWidget = { open(options: ChatOpenOptions): unknown };

declare global {
  interface Window {
    OKPayChat?: ChatWidget;
  }
}

/** Opens the chat about something; false when the widget is not on the page (yet). */
export function openChat(options: ChatOpenOptions): boolean {
  const widget = window.OKPayChat;
  if (!widget) return false;
  widget.open(options);
  return true;
}
