import type {
  ChannelHours,
  ChatMessage,
  ClientToServerEvents,
  ConversationCategory,
  CustomerConversation,
  ErrorBody,
  LinkedObject,
  Locale,
  OfflineMessageReceipt,
  ServerToClientEvents,
  SupportPickerItem,
  SupportStatus,
  TranscriptAnswer,
  VoicemailReceipt,
  WidgetProfile,
} from '@okpay/contracts';
import { defaultTimeZone } from '@okpay/contracts/format';
import { io, type Socket } from 'socket.io-client';
import { type Http, WidgetApiError } from '../api/http';
import { type IdentityProvider, IdentitySource } from '../api/identity';
import type { WidgetStorage } from '../api/storage';
import { textsFor } from '../i18n/texts';
import { VoiceCallSession } from '../voice/voice-call';
import { newClientMessageId } from './ids';
import { checkImage, maxImageBytes } from './image-check';
import { createStore, type Store } from './store';
import {
  addOutgoing,
  applyAgentRead,
  applyResume,
  attachUploaded,
  createThread,
  discardOutgoing,
  lastSeq,
  markSeen,
  markUnsynced,
  mergeMessages,
  type Outgoing,
  pendingSends,
  resumeAfterSeq,
  retryOutgoing,
  sendAttemptFailed,
  type Thread,
} from './thread';

export type { SupportStatus };

/** One row of GET /api/support/picker: failed top-ups first, with the reason the customer was shown. */
export type PickerItem = SupportPickerItem;

export type OpenOptions = { category?: ConversationCategory; links?: LinkedObject[] };

export type Screen =
  | 'loading'
  | 'start'
  | 'offline'
  | 'offline-sent'
  | 'callback'
  | 'callback-sent'
  | 'voicemail'
  | 'voicemail-sent'
  | 'chat'
  | 'call'
  | 'error';

export type WidgetState = {
  isOpen: boolean;
  locale: Locale;
  identityKind: 'customer' | 'visitor' | null;
  /** The server accepted a signed customer token on this connection. */
  isVerified: boolean;
  /** The account's time zone (from `/api/support/me`): every time the widget shows is in it. */
  timeZone: string;
  /** A signed-in customer's proven email address, to start the leave-a-message form with. */
  verifiedEmail: string | null;
  screen: Screen;
  status: SupportStatus | null;
  /** Live chat's business hours from the calendars: whether it is open now and when it opens. */
  chatHours: ChannelHours | null;
  /** The phone line's hours and published numbers, shown beside the offline form. */
  phoneHours: ChannelHours | null;
  connection: 'idle' | 'connecting' | 'online' | 'reconnecting';
  conversation: CustomerConversation | null;
  thread: Thread | null;
  agentTyping: boolean;
  preset: { category: ConversationCategory | null; links: LinkedObject[] };
  picker: { state: 'hidden' | 'loading' | 'ready' | 'failed'; items: PickerItem[] };
  isStarting: boolean;
  error: string | null;
  offlineReply: string | null;
  /** The times a callback can be booked (loaded when the callback form opens), and the confirmation. */
  callbackSlots: Array<{ at: string; label: string }> | null;
  callbackReply: string | null;
  /** What the server said once a voicemail was stored. */
  voicemailReply: string | null;
  /** Status changes read out by screen readers (messages are announced by the log itself). */
  announcement: string;
};

type StartPayload = {
  category: ConversationCategory;
  links: LinkedObject[];
  message?: string;
  clientMessageId?: string;
  locale: Locale;
};

type Answer<T> = { kind: 'ok'; data: T } | { kind: 'refused'; code: string; message: string } | { kind: 'unanswered' };

/** The widget's socket, typed by the event map it shares with the server (contracts). */
type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type ServerEvents = { [E in keyof ServerToClientEvents]: Parameters<ServerToClientEvents[E]>[0] };
type Payload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
/** What an event's acknowledgement carries when the server agrees. */
type AnswerOf<E extends keyof ClientToServerEvents> = Exclude<
  Parameters<NonNullable<Parameters<ClientToServerEvents[E]>[1]>>[0],
  ErrorBody
>;

const ackTimeoutMs = 10_000;
/** Refusals that say "not now" rather than "not this": the message is sent again until it is stored. */
const temporaryRefusals = new Set(['service_unavailable', 'internal_error']);
const typingThrottleMs = 3_000;
const typingIdleMs = 4_000;
const agentTypingExpiryMs = 8_000;
const categoryByLink: Record<LinkedObject['type'], ConversationCategory> = {
  top_up: 'top_up',
  transaction: 'transactions',
  card: 'card_binding',
};

export function isLive(conversation: CustomerConversation | null): boolean {
  return conversation !== null && (conversation.status === 'open' || conversation.status === 'pending');
}

/**
 * The widget's one conversation with OKPay support: identity, the socket (re-authenticated on
 * every reconnect), resume after each connect, sends that retry with the same clientMessageId, and
 * the screens around the chat (topic picker, leave-a-message). The Preact tree only reads `store`.
 */
export class ChatSession {
  readonly store: Store<WidgetState>;
  /** A voice call to the support queue, over this session's socket. */
  readonly voice: VoiceCallSession;
  private readonly identity: IdentitySource;
  private socket: ChatSocket | null = null;
  private pendingStart: StartPayload | null = null;
  /** The last start asked for, kept after a refusal so pressing start again reuses its clientMessageId. */
  private lastStart: StartPayload | null = null;
  /** The one loop sending the outbox, if running; replaced when the identity changes. */
  private sender: object | null = null;
  private readonly files = new Map<string, File>();
  private readonly images = new Map<string, Promise<{ url: string; expiresAt: number }>>();
  private typingSentAt = 0;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectDelayMs = 1_000;
  private lastReadSent = 0;
  /** The generation whose profile (`/api/support/me`) is loaded. */
  private profileGeneration: number | null = null;
  /** Bumped when the identity changes, so answers meant for the previous one are dropped. */
  private generation = 0;
  /** The visitor wrote to us since the page loaded: the host page may offer to notify them of the answer. */
  hasWritten = false;

  constructor(
    readonly http: Http,
    private readonly storage: WidgetStorage,
    locale: Locale,
  ) {
    this.store = createStore<WidgetState>({
      isOpen: false,
      locale,
      identityKind: null,
      isVerified: false,
      timeZone: defaultTimeZone,
      verifiedEmail: null,
      screen: 'loading',
      status: null,
      chatHours: null,
      phoneHours: null,
      connection: 'idle',
      conversation: null,
      thread: null,
      agentTyping: false,
      preset: { category: null, links: [] },
      picker: { state: 'hidden', items: [] },
      isStarting: false,
      error: null,
      offlineReply: null,
      callbackSlots: null,
      callbackReply: null,
      voicemailReply: null,
      announcement: '',
    });
    this.identity = new IdentitySource(http, storage, () => this.store.get().locale);
    this.voice = new VoiceCallSession({
      http,
      socket: () => this.ensureSocket(),
      token: () => this.chatToken(),
      locale: () => this.store.get().locale,
    });
  }

  private get state(): WidgetState {
    return this.store.get();
  }

  private get texts() {
    return textsFor(this.state.locale);
  }

  // ── The public API (window.OKPayChat) ────────────────────────────────────────────────────────

  open(options: OpenOptions = {}): void {
    const links = (options.links ?? []).filter((link) => link && typeof link.id === 'string');
    const category = options.category ?? (links[0] ? categoryByLink[links[0].type] : undefined) ?? null;
    if (category || links.length > 0) this.store.set({ preset: { category, links } });
    this.store.set({ isOpen: true });
    void this.prepare();
  }

  close(): void {
    this.stopTyping();
    this.store.set({ isOpen: false });
  }

  setLocale(locale: Locale): void {
    if (locale !== 'zh-CN' && locale !== 'en') return;
    this.store.set({ locale });
    // Picker reasons come from the server in one language: ask again in the new one.
    if (this.state.picker.state === 'ready') void this.loadPicker();
  }

  setIdentityProvider(provider: IdentityProvider | null): void {
    this.identity.setProvider(typeof provider === 'function' ? provider : null);
    // A different person may be behind the new identity: forget everything about the old one.
    if (this.voice.isLive) void this.voice.end();
    this.voice.reset();
    this.generation++;
    this.pendingStart = null;
    this.hasWritten = false;
    this.socket?.disconnect();
    this.socket?.removeAllListeners();
    this.socket = null;
    clearTimeout(this.reconnectTimer);
    this.sender = null;
    this.store.set({
      identityKind: null,
      isVerified: false,
      timeZone: defaultTimeZone,
      verifiedEmail: null,
      conversation: null,
      thread: null,
      connection: 'idle',
      agentTyping: false,
      picker: { state: 'hidden', items: [] },
      isStarting: false,
      error: null,
      screen: 'loading',
    });
    if (this.state.isOpen) void this.prepare();
    else void this.restore();
  }

  // ── Screens ──────────────────────────────────────────────────────────────────────────────────

  /**
   * On page load: if this browser has chatted before (or the page knows its customer), pick the
   * live conversation back up in the background, so replies show on the bubble's badge.
   */
  /** The chat token of whoever is chatting (customer or visitor), for the widget's other calls. */
  async chatToken(): Promise<string | undefined> {
    return this.identity.current().then(
      (identity) => identity.token,
      () => undefined,
    );
  }

  async restore(): Promise<void> {
    if (!this.identity.hasProvider() && !this.identity.hasStoredVisitor()) return;
    const generation = this.generation;
    const live = await this.findLiveConversation().catch(() => undefined);
    if (generation !== this.generation || !live || this.state.thread) return;
    this.enterConversation(live);
  }

  /** What the panel shows when opened: the live chat, or the topic picker, or leave-a-message. */
  async prepare(): Promise<void> {
    const { screen, conversation, thread, preset, isStarting } = this.state;
    if (isStarting || ['offline-sent', 'callback', 'callback-sent', 'voicemail', 'voicemail-sent', 'call'].includes(screen)) return;
    if (screen === 'chat' && thread && isLive(conversation)) {
      // "Contact support about this top-up" during a chat: attach it to the chat already open.
      if (preset.links.length > 0 && this.state.identityKind === 'customer' && conversation) {
        this.startChat({ category: preset.category ?? conversation.category, links: preset.links });
      }
      return;
    }
    if (screen === 'chat' && thread) return; // an ended chat stays on screen until "start a new chat"
    const generation = this.generation;
    this.store.set({ screen: 'loading', error: null });
    try {
      const live = this.identity.hasProvider() || this.identity.hasStoredVisitor() ? await this.findLiveConversation() : undefined;
      if (generation !== this.generation) return;
      if (live) {
        this.enterConversation(live);
        if (this.state.preset.links.length > 0 && this.state.identityKind === 'customer') {
          this.startChat({ category: this.state.preset.category ?? live.category, links: this.state.preset.links });
        }
        return;
      }
      const [status, { chatHours, phoneHours }] = await Promise.all([
        this.http.request<SupportStatus>('/api/support/status', { locale: this.state.locale }),
        this.loadHours(),
      ]);
      if (generation !== this.generation) return;
      this.store.set({ status, chatHours, phoneHours });
      if (this.identity.hasProvider()) void this.loadPicker();
      const { preset: current, identityKind } = this.state;
      // Outside chat hours (from the calendar) or with nobody online: take a message instead of queueing.
      const canChat = status.isAvailable && (chatHours?.open ?? true);
      if (canChat && current.links.length > 0 && identityKind === 'customer' && current.category) {
        this.startChat({ category: current.category, links: current.links });
        return;
      }
      this.store.set({ screen: canChat ? 'start' : 'offline' });
    } catch (error) {
      if (generation !== this.generation) return;
      this.store.set({ screen: 'error', error: error instanceof Error ? error.message : this.texts.loadFailed });
    }
  }

  /** Live chat's and the phone line's hours; without them the widget still works, as if open, and says nothing about hours. */
  private async loadHours(): Promise<{ chatHours: ChannelHours | null; phoneHours: ChannelHours | null }> {
    try {
      const zone = this.state.timeZone;
      const { channels } = await this.http.request<{ channels: ChannelHours[] }>(
        `/api/support/hours?timeZone=${encodeURIComponent(zone)}`,
        {
          locale: this.state.locale,
        },
      );
      const find = (name: ChannelHours['channel']) => channels.find((channel) => channel.channel === name) ?? null;
      return { chatHours: find('chat'), phoneHours: find('phone') };
    } catch {
      return { chatHours: null, phoneHours: null };
    }
  }

  /** After a finished chat, call or a sent offline message: back to the beginning. */
  startOver(): void {
    this.pendingStart = null;
    this.voice.reset();
    this.store.set({
      conversation: null,
      thread: null,
      agentTyping: false,
      offlineReply: null,
      callbackReply: null,
      voicemailReply: null,
      error: null,
      screen: 'loading',
      preset: { category: null, links: [] },
    });
    void this.prepare();
  }

  private async findLiveConversation(): Promise<CustomerConversation | undefined> {
    const identity = await this.identity.current();
    this.store.set({ identityKind: identity.kind });
    const [{ conversations }] = await Promise.all([
      this.http.request<{ conversations: CustomerConversation[] }>('/api/support/conversations', {
        token: identity.token,
        locale: this.state.locale,
      }),
      this.loadProfile(identity.token),
    ]);
    // The server checked the token's signature and found the customer: that is what "verified" means here.
    if (identity.kind === 'customer') this.store.set({ isVerified: true });
    return conversations.find((conversation) => conversation.channel === 'chat' && !conversation.isOfflineMessage && isLive(conversation));
  }

  /**
   * Who we speak for: the zone for every time shown, a customer's proven email for the form. Asked
   * once per identity (a new provider starts a new generation), not each time the panel opens.
   */
  private async loadProfile(token: string): Promise<void> {
    const generation = this.generation;
    if (this.profileGeneration === generation) return;
    try {
      const profile = await this.http.request<WidgetProfile>('/api/support/me', { token, locale: this.state.locale });
      if (generation !== this.generation) return;
      this.profileGeneration = generation;
      this.store.set({ timeZone: profile.timeZone, verifiedEmail: profile.verifiedEmail });
    } catch {
      // Without it times stay in China Standard Time and the form starts empty; asked again next time.
    }
  }

  async loadPicker(): Promise<void> {
    const generation = this.generation;
    this.store.set((state) => ({ picker: { state: 'loading', items: state.picker.items } }));
    try {
      const identity = await this.identity.current();
      if (identity.kind !== 'customer') {
        this.store.set({ picker: { state: 'hidden', items: [] } });
        return;
      }
      const { items } = await this.http.request<{ items: PickerItem[] }>('/api/support/picker', {
        token: identity.token,
        locale: this.state.locale,
      });
      if (generation === this.generation) this.store.set({ picker: { state: 'ready', items } });
    } catch {
      if (generation === this.generation) this.store.set({ picker: { state: 'failed', items: [] } });
    }
  }

  async leaveMessage(input: { email: string; name?: string; message: string; category: ConversationCategory }): Promise<void> {
    const { message } = await this.http.request<OfflineMessageReceipt>('/api/support/offline-messages', {
      method: 'POST',
      json: { ...input, name: input.name?.trim() || undefined, locale: this.state.locale, timeZone: this.state.timeZone },
      locale: this.state.locale,
    });
    this.hasWritten = true;
    this.store.set({ screen: 'offline-sent', offlineReply: message });
  }

  /** Calls the support queue from the widget, with the topic and record picked as for a chat. */
  startCall(input: { category: ConversationCategory; links: LinkedObject[] }): void {
    // Visitors cannot link wallet objects (the server refuses); they keep the topic.
    const links = this.state.identityKind === 'customer' ? input.links : [];
    this.store.set({ screen: 'call', error: null });
    void this.voice.start({ category: input.category, links });
  }

  /** Leaves the queue for a callback instead (signed-in customers): the call ends with that reason, the form opens. */
  async callBackInstead(): Promise<void> {
    await this.voice.end('callback_requested');
    this.voice.reset();
    await this.openCallback();
  }

  /** A signed-in customer's callback form: the bookable times come from the phone line's calendar. */
  async openCallback(): Promise<void> {
    this.store.set({ screen: 'callback', callbackSlots: null, error: null });
    try {
      const { slots } = await this.http.request<{ slots: Array<{ at: string; label: string }> }>(
        `/api/support/callbacks/slots?timeZone=${encodeURIComponent(this.state.timeZone)}`,
        { locale: this.state.locale },
      );
      this.store.set({ callbackSlots: slots });
    } catch {
      this.store.set({ callbackSlots: [] });
    }
  }

  async requestCallback(input: { number: string; slot: string; category: ConversationCategory }): Promise<void> {
    const identity = await this.identity.current();
    const { message } = await this.http.request<{ message: string }>('/api/support/callbacks', {
      method: 'POST',
      json: { ...input, timeZone: this.state.timeZone },
      token: identity.token,
      locale: this.state.locale,
    });
    this.store.set({ screen: 'callback-sent', callbackReply: message });
  }

  /** The voicemail recorder: for customers and visitors alike, whenever the phone line is published. */
  openVoicemail(): void {
    this.store.set({ screen: 'voicemail', error: null });
  }

  /**
   * Uploads a recorded voicemail. `key` names this recording: sending it again after a failure
   * (a lost answer, a dropped connection) reuses it, so the server stores it once.
   */
  async sendVoicemail(input: {
    recording: Blob;
    fileName: string;
    seconds: number;
    category: ConversationCategory;
    key: string;
  }): Promise<void> {
    const identity = await this.identity.current();
    const form = new FormData();
    form.append('category', input.category);
    form.append('seconds', input.seconds.toFixed(1));
    form.append('file', input.recording, input.fileName);
    const receipt = await this.http.request<VoicemailReceipt>('/api/support/voicemails', {
      method: 'POST',
      form,
      token: identity.token,
      locale: this.state.locale,
      headers: { 'idempotency-key': input.key },
    });
    this.hasWritten = true;
    this.store.set({ screen: 'voicemail-sent', voicemailReply: receipt.message });
  }

  /**
   * Customers get the transcript at their account's verified address; a visitor's address first
   * gets a code (`verification_required`), which confirmTranscript sends back.
   */
  async emailTranscript(email?: string): Promise<TranscriptAnswer> {
    return this.transcriptRequest('transcript', email ? { email } : {});
  }

  async confirmTranscript(code: string): Promise<TranscriptAnswer> {
    return this.transcriptRequest('transcript/verify', { code });
  }

  private async transcriptRequest(path: string, json: Record<string, string>) {
    const conversation = this.state.conversation;
    if (!conversation) throw new Error(this.texts.transcriptFailed);
    const identity = await this.identity.current();
    return this.http.request<TranscriptAnswer>(`/api/support/conversations/${conversation.id}/${path}`, {
      method: 'POST',
      json,
      token: identity.token,
      locale: this.state.locale,
    });
  }

  // ── Starting and resuming ───────────────────────────────────────────────────────────────────

  startChat(input: { category: ConversationCategory; links?: LinkedObject[]; message?: string }): void {
    const message = input.message?.trim() || undefined;
    if (message) this.hasWritten = true;
    // Pressing start again after a failure resends the same first message, never a second copy.
    const previous = this.lastStart;
    const clientMessageId = message ? (previous?.message === message ? previous.clientMessageId : newClientMessageId()) : undefined;
    // Visitors cannot link wallet objects (the server refuses); they keep the topic.
    const links = this.state.identityKind === 'customer' ? (input.links ?? []) : [];
    this.pendingStart = { category: input.category, links, message, clientMessageId, locale: this.state.locale };
    this.lastStart = this.pendingStart;
    this.store.set({ isStarting: true, error: null });
    const socket = this.ensureSocket();
    if (socket.connected) void this.sendStart();
  }

  private async sendStart(attempt = 1): Promise<void> {
    const payload = this.pendingStart;
    if (!payload) return;
    const generation = this.generation;
    const answer = await this.ask('conversation:start', payload);
    if (generation !== this.generation || this.pendingStart !== payload) return;
    if (answer.kind === 'ok') {
      this.pendingStart = null;
      this.lastStart = null;
      this.store.set({ isStarting: false, preset: { category: null, links: [] } });
      this.adoptConversation(answer.data.conversation, answer.data.messages);
      return;
    }
    if (answer.kind === 'refused') {
      this.pendingStart = null;
      this.store.set({ isStarting: false, error: answer.message });
      return;
    }
    // Unanswered: try again while connected; a reconnect will also try again (onConnect).
    if (attempt < 3 && this.socket?.connected) await this.sendStart(attempt + 1);
    else if (this.socket?.connected) this.store.set({ isStarting: false, error: this.texts.loadFailed });
  }

  private enterConversation(conversation: CustomerConversation): void {
    const existing = this.state.thread;
    const thread =
      existing?.conversationId === conversation.id ? existing : createThread(conversation.id, this.storage.seenSeq(conversation.id));
    this.lastReadSent = thread.seenSeq;
    this.store.set({ conversation, thread, screen: 'chat', error: null });
    const socket = this.ensureSocket();
    if (socket.connected) void this.resume();
  }

  private adoptConversation(conversation: CustomerConversation, messages: ChatMessage[]): void {
    const existing = this.state.thread;
    const base =
      existing?.conversationId === conversation.id ? existing : createThread(conversation.id, this.storage.seenSeq(conversation.id));
    const thread = applyResume(base, messages, conversation.lastMessageSeq, conversation.agentReadSeq);
    this.store.set({ conversation, thread, screen: 'chat', error: null, announcement: this.describeWaiting(conversation) });
    // Attached records are described from the picker's rows (after a reload too).
    if (conversation.links.length > 0 && this.state.identityKind === 'customer' && this.state.picker.state === 'hidden')
      void this.loadPicker();
    this.flush();
  }

  /** Everything after the last seq this tab holds, merged by id: nothing lost, nothing twice. */
  private async resume(): Promise<void> {
    const thread = this.state.thread;
    if (!thread) return;
    const generation = this.generation;
    const answer = await this.ask('conversation:resume', {
      conversationId: thread.conversationId,
      afterSeq: resumeAfterSeq(thread),
    });
    const current = this.state.thread;
    if (generation !== this.generation || current?.conversationId !== thread.conversationId) return;
    if (answer.kind === 'ok') {
      this.adoptConversation(answer.data.conversation, answer.data.messages);
    } else if (answer.kind === 'refused' && answer.code === 'conversation_not_found') {
      // Not ours any more (another identity signed in): start afresh rather than show someone else's chat.
      this.startOver();
    } else if (this.socket?.connected) {
      setTimeout(() => void this.resume(), 2_000);
    }
  }

  // ── Sending ─────────────────────────────────────────────────────────────────────────────────

  send(body: string): void {
    const text = body.trim();
    const thread = this.state.thread;
    if (!text || !thread) return;
    this.stopTyping();
    this.hasWritten = true;
    this.setThread(addOutgoing(thread, { clientMessageId: newClientMessageId(), body: text, now: Date.now() }));
    this.flush();
  }

  /** Checks the image here first (type, 5 MB), then uploads and sends it; returns the reason it was refused. */
  sendImage(file: File, caption = ''): string | null {
    const thread = this.state.thread;
    if (!thread) return null;
    const check = checkImage(file);
    if (!check.ok)
      return check.reason === 'type' ? this.texts.imageTypeNotAllowed : this.texts.imageTooLarge(`${maxImageBytes / 1024 / 1024} MB`);
    const clientMessageId = newClientMessageId();
    this.hasWritten = true;
    this.files.set(clientMessageId, file);
    this.setThread(
      addOutgoing(thread, {
        clientMessageId,
        body: caption.trim(),
        image: { previewUrl: URL.createObjectURL(file), fileName: file.name, attachmentId: null },
        now: Date.now(),
      }),
    );
    this.flush();
    return null;
  }

  retry(clientMessageId: string): void {
    const thread = this.state.thread;
    if (!thread) return;
    this.setThread(retryOutgoing(thread, clientMessageId));
    this.flush();
  }

  discard(clientMessageId: string): void {
    const thread = this.state.thread;
    if (!thread) return;
    this.files.delete(clientMessageId);
    const image = thread.outgoing.get(clientMessageId)?.image;
    if (image) URL.revokeObjectURL(image.previewUrl);
    this.setThread(discardOutgoing(thread, clientMessageId));
  }

  /**
   * Sends what is waiting once the connection is up and the conversation resumed: one message at
   * a time, oldest first, the next only after the server has answered, so messages are stored in
   * the order they were written even after a reconnect flushes several at once.
   */
  private flush(): void {
    const thread = this.state.thread;
    if (this.sender || !thread?.isSynced || !this.socket?.connected) return;
    const sender = {};
    this.sender = sender;
    void this.sendInOrder(thread.conversationId, sender);
  }

  private async sendInOrder(conversationId: string, sender: object): Promise<void> {
    try {
      while (this.sender === sender) {
        const thread = this.state.thread;
        if (thread?.conversationId !== conversationId || !thread.isSynced || !this.socket?.connected) return;
        const item = pendingSends(thread)[0];
        if (!item) return;
        await this.sendOne(conversationId, item);
        const after = this.state.thread?.outgoing.get(item.clientMessageId);
        // Unanswered: it goes again after a pause, and everything written after it waits behind it.
        if (after?.state === 'sending') {
          setTimeout(() => this.flush(), 1_000 * Math.max(1, after.attempts));
          return;
        }
      }
    } finally {
      if (this.sender === sender) this.sender = null;
    }
  }

  private async sendOne(conversationId: string, item: Outgoing): Promise<void> {
    const id = item.clientMessageId;
    let attachmentId = item.image?.attachmentId ?? undefined;
    if (item.image && !attachmentId) {
      const uploaded = await this.upload(conversationId, id);
      if (!uploaded) return;
      attachmentId = uploaded;
    }
    const answer = await this.ask('message:send', {
      conversationId,
      body: item.body,
      clientMessageId: id,
      ...(attachmentId ? { attachmentId } : {}),
    });
    if (answer.kind === 'ok') {
      this.files.delete(id);
      this.updateThread(conversationId, (thread) => mergeMessages(thread, [answer.data.message], 'ack'));
      // The confirmed message shows the server's copy of the image; the local preview can go.
      if (item.image) URL.revokeObjectURL(item.image.previewUrl);
    } else if (answer.kind === 'refused' && temporaryRefusals.has(answer.code)) {
      // The server is up but cannot store it yet (its database is away): keep trying, it is not the message's fault.
    } else if (answer.kind === 'refused') {
      this.updateThread(conversationId, (thread) => sendAttemptFailed(thread, id, answer.message));
    } else if (this.socket?.connected) {
      this.updateThread(conversationId, (thread) => sendAttemptFailed(thread, id));
    }
  }

  private async upload(conversationId: string, clientMessageId: string): Promise<string | undefined> {
    const file = this.files.get(clientMessageId);
    if (!file) {
      this.updateThread(conversationId, (thread) => sendAttemptFailed(thread, clientMessageId, this.texts.uploadFailed));
      return undefined;
    }
    try {
      const identity = await this.identity.current();
      const form = new FormData();
      form.append('file', file, file.name);
      const stored = await this.http.request<{ id: string }>(`/api/support/conversations/${conversationId}/attachments`, {
        method: 'POST',
        form,
        token: identity.token,
        locale: this.state.locale,
      });
      this.updateThread(conversationId, (thread) => attachUploaded(thread, clientMessageId, stored.id));
      return stored.id;
    } catch (error) {
      // The server's refusal (type, size) is final; a network failure is worth another try.
      const isRefusal = error instanceof WidgetApiError && error.status >= 400 && error.status < 500;
      this.updateThread(conversationId, (thread) => sendAttemptFailed(thread, clientMessageId, isRefusal ? error.message : null));
      return undefined;
    }
  }

  /**
   * A signed link to show an image with, reused while it has a minute left; `fresh` asks for a new
   * one (the old one expired while the page stayed open).
   */
  async imageUrl(attachmentId: string, options: { fresh?: boolean } = {}): Promise<string> {
    const cached = this.images.get(attachmentId);
    if (cached && !options.fresh) {
      const link = await cached.catch(() => undefined);
      if (link && link.expiresAt - Date.now() > 60_000) return link.url;
    }
    const link = this.identity.current().then((identity) => this.http.imageLink(attachmentId, identity.token));
    link.catch(() => this.images.delete(attachmentId));
    this.images.set(attachmentId, link);
    return (await link).url;
  }

  // ── Typing and read receipts ────────────────────────────────────────────────────────────────

  /** Called on every keystroke; tells the agent at most every few seconds, and when typing stops. */
  noteTyping(): void {
    const conversationId = this.state.thread?.conversationId;
    if (!conversationId || !this.socket?.connected) return;
    const now = Date.now();
    if (now - this.typingSentAt > typingThrottleMs) {
      this.socket.volatile.emit('typing', { conversationId, isTyping: true });
      this.typingSentAt = now;
    }
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), typingIdleMs);
  }

  stopTyping(): void {
    clearTimeout(this.typingTimer);
    const conversationId = this.state.thread?.conversationId;
    if (this.typingSentAt && conversationId && this.socket?.connected) {
      this.socket.volatile.emit('typing', { conversationId, isTyping: false });
    }
    this.typingSentAt = 0;
  }

  /** The customer can see the messages (panel open on the chat, tab visible): tell the agent, clear the badge. */
  markVisibleRead(): void {
    const { thread, isOpen, screen } = this.state;
    if (!thread || !isOpen || screen !== 'chat' || document.visibilityState === 'hidden') return;
    const seq = lastSeq(thread);
    if (seq > thread.seenSeq) {
      this.setThread(markSeen(thread, seq));
      this.storage.setSeenSeq(thread.conversationId, seq);
    }
    if (seq > this.lastReadSent && this.socket?.connected) {
      this.lastReadSent = seq;
      this.socket.emit('read', { conversationId: thread.conversationId, seq });
    }
  }

  // ── The socket ──────────────────────────────────────────────────────────────────────────────

  private ensureSocket(): ChatSocket {
    if (this.socket) {
      if (!this.socket.connected && !this.socket.active) this.socket.connect();
      return this.socket;
    }
    const generation = this.generation;
    const socket: ChatSocket = io(this.http.base, {
      path: '/socket.io',
      withCredentials: false,
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 10_000,
      // A function, so every reconnect asks for a fresh token (customer tokens live ten minutes).
      auth: (callback) => {
        this.identity
          .current()
          .then((identity) => {
            if (generation === this.generation) this.store.set({ identityKind: identity.kind });
            callback({ token: identity.token, locale: this.state.locale });
          })
          .catch(() => callback({ locale: this.state.locale }));
      },
    });
    this.socket = socket;
    this.store.set({ connection: 'connecting' });
    socket.on('connect', () => this.onConnect());
    socket.on('disconnect', (reason) => this.onDisconnect(socket, reason));
    socket.on('connect_error', () => this.onConnectError(socket));
    const on = <E extends keyof ServerEvents>(event: E, handler: (payload: ServerEvents[E]) => void) =>
      (socket as unknown as Socket).on(event as string, (payload: ServerEvents[E]) => {
        if (generation === this.generation) handler(payload);
      });
    on('message', (message) => this.onMessage(message));
    on('conversation:updated', (event) => this.onConversationUpdated(event));
    on('queue', (event) => this.onQueue(event));
    on('read', (event) => this.onRead(event));
    on('typing', (event) => this.onTyping(event));
    on('resync', () => {
      if (this.state.thread?.isSynced) void this.resume();
    });
    return socket;
  }

  private onConnect(): void {
    this.reconnectDelayMs = 1_000;
    this.store.set((state) => ({ connection: 'online', isVerified: state.identityKind === 'customer' }));
    if (this.pendingStart) void this.sendStart();
    else if (this.state.thread) void this.resume();
  }

  private onDisconnect(socket: ChatSocket, reason: Socket.DisconnectReason): void {
    const thread = this.state.thread;
    this.store.set({ connection: 'reconnecting', agentTyping: false, thread: thread ? markUnsynced(thread) : thread });
    // The server closed us on purpose (e.g. a restart): Socket.IO leaves reconnecting to us.
    if (reason === 'io server disconnect') this.scheduleReconnect(socket);
  }

  private onConnectError(socket: ChatSocket): void {
    this.store.set({ connection: 'reconnecting' });
    // Refused by the server's middleware (an expired or missing token): Socket.IO does not retry those itself.
    if (!socket.active) this.scheduleReconnect(socket);
  }

  private scheduleReconnect(socket: ChatSocket): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      if (this.socket === socket && !socket.connected) socket.connect();
    }, this.reconnectDelayMs);
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 30_000);
  }

  private ask<E extends keyof ClientToServerEvents>(event: E, payload: Payload<E>): Promise<Answer<AnswerOf<E>>> {
    const socket = this.socket;
    // Never let Socket.IO buffer an emit while offline: the retry logic owns resending.
    if (!socket?.connected) return Promise.resolve({ kind: 'unanswered' });
    return new Promise((resolve) => {
      // The map types each event's payload and answer; emit cannot follow a generic event name, so it takes the plain form.
      (socket.timeout(ackTimeoutMs) as unknown as Socket).emit(event, payload, (error: unknown, response: unknown) => {
        if (error) return resolve({ kind: 'unanswered' });
        const refusal = (response as Partial<ErrorBody> | undefined)?.error;
        if (refusal) return resolve({ kind: 'refused', code: refusal.code, message: refusal.message });
        resolve({ kind: 'ok', data: response as AnswerOf<E> });
      });
    });
  }

  private onMessage(message: ChatMessage): void {
    const thread = this.state.thread;
    if (!thread || message.conversationId !== thread.conversationId) return;
    const isAgent = message.authorType === 'agent';
    this.store.set((state) => ({
      thread: state.thread ? mergeMessages(state.thread, [message], 'live') : state.thread,
      agentTyping: isAgent ? false : state.agentTyping,
    }));
  }

  private onConversationUpdated(event: ServerEvents['conversation:updated']): void {
    const conversation = this.state.conversation;
    if (!conversation || conversation.id !== event.conversationId) return;
    let agent = conversation.agent;
    if (event.agent) agent = event.agent;
    else if (event.assigneeId === null) agent = null;
    else if (event.assigneeId !== conversation.agent?.id) void this.resume(); // assigned elsewhere: fetch the name
    const updated: CustomerConversation = {
      ...conversation,
      status: event.status,
      agent,
      queue: event.waiting ? conversation.queue : null,
    };
    const announcement =
      agent && agent.id !== conversation.agent?.id
        ? this.texts.agentJoined(agent.name)
        : !isLive(updated) && isLive(conversation)
          ? this.texts.conversationEnded
          : this.state.announcement;
    this.store.set({ conversation: updated, announcement });
  }

  private onQueue(event: ServerEvents['queue']): void {
    const conversation = this.state.conversation;
    if (!conversation || conversation.id !== event.conversationId || conversation.agent) return;
    const updated = { ...conversation, queue: event.queue };
    this.store.set({ conversation: updated, announcement: this.describeWaiting(updated) });
  }

  private onRead(event: ServerEvents['read']): void {
    const thread = this.state.thread;
    if (!thread || thread.conversationId !== event.conversationId) return;
    if (event.readerType === 'staff') this.setThread(applyAgentRead(thread, event.seq));
    else {
      // Read in another tab of the same customer: the badge here clears too.
      this.setThread(markSeen(thread, event.seq));
      this.storage.setSeenSeq(thread.conversationId, event.seq);
    }
  }

  private onTyping(event: ServerEvents['typing']): void {
    if (event.from !== 'agent' || event.conversationId !== this.state.thread?.conversationId) return;
    clearTimeout(this.agentTypingTimer);
    this.store.set({ agentTyping: event.isTyping });
    // Typing events are best-effort: if "stopped" is lost, the indicator still goes away.
    if (event.isTyping) this.agentTypingTimer = setTimeout(() => this.store.set({ agentTyping: false }), agentTypingExpiryMs);
  }

  private describeWaiting(conversation: CustomerConversation): string {
    if (conversation.agent) return this.texts.agentJoined(conversation.agent.name);
    if (conversation.queue) return this.texts.queuePosition(conversation.queue.position);
    return this.state.announcement;
  }

  private setThread(thread: Thread): void {
    this.store.set({ thread });
  }

  private updateThread(conversationId: string, change: (thread: Thread) => Thread): void {
    this.store.set((state) => (state.thread?.conversationId === conversationId ? { thread: change(state.thread) } : {}));
  }
}
