import { EyeInvisibleOutlined, LinkOutlined, LockOutlined, SyncOutlined } from '@ant-design/icons';
import type { ChatMessage, EmailMessageView } from '@okpay/contracts';
import { Button } from 'antd';
import type { TFunction } from 'i18next';
import { Fragment, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationEvent, LinkedObjectRef } from '../../api/agent-console';
import { currentLocale } from '../../i18n';
import { formatDateTime } from '../../wallet/money';
import { SaveAsArticleButton } from '../help/save-as-article-button';
import { AttachmentImage } from './attachment-image';
import { AcknowledgementLine, EmailMessageExtras } from './email-parts';
import type { PendingSend } from './thread';
import { formatShortTime } from './time';

type Entry =
  | { kind: 'message'; at: string; message: ChatMessage }
  | { kind: 'event'; at: string; event: ConversationEvent; index: number }
  | { kind: 'acknowledgement'; at: string; email: EmailMessageView };

export type Names = {
  staff: ReadonlyMap<string, string>;
  customer: string;
};

function actorName(event: ConversationEvent, names: Names, t: TFunction): string {
  if (event.actorType === 'staff') return (event.actorId && names.staff.get(event.actorId)) || t('console.timeline.someAgent');
  if (event.actorType === 'customer' || event.actorType === 'visitor') return names.customer;
  return t('console.timeline.system');
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** One line for a timeline event, in the agent's language: who did what. */
export function describeEvent(event: ConversationEvent, names: Names, t: TFunction): string {
  const data = event.data ?? {};
  const actor = actorName(event, names, t);
  const staffName = (id: unknown) => (typeof id === 'string' && names.staff.get(id)) || t('console.timeline.someAgent');
  switch (event.type) {
    case 'created': {
      const category = t(`console.categories.${text(data.category) || 'other'}` as 'console.categories.other');
      if (data.offline) return t('console.timeline.createdOffline');
      if (data.followUpOf) return t('console.timeline.followUpOf', { reference: text(data.followUpOf) });
      if (data.mentionedReference) return t('console.timeline.mentionedReference', { reference: text(data.mentionedReference) });
      if (data.channel === 'email') {
        return data.via === 'console' ? t('console.timeline.createdByAgent', { actor }) : t('console.timeline.createdEmail', { category });
      }
      return t('console.timeline.created', { actor, category });
    }
    case 'email_flagged':
      return t('console.timeline.emailFlagged');
    case 'email_bounced':
      return t('console.timeline.emailBounced', {
        address: text(data.address),
        status: text(data.status),
        diagnostic: text(data.diagnostic),
      });
    case 'email_delayed':
      return t('console.timeline.emailDelayed', { address: text(data.address), status: text(data.status) });
    case 'email_auto_reply':
      return t('console.timeline.emailAutoReply', { subject: text(data.subject) });
    case 'email_send_failed':
      return t('console.timeline.emailSendFailed', {
        recipient: text(data.recipient),
        attempts: typeof data.attempts === 'number' ? data.attempts : 0,
        reason: text(data.reason),
      });
    case 'email_resent':
      return t('console.timeline.emailResent', { actor });
    case 'assigned':
      if (data.via === 'auto') return t('console.timeline.autoAssigned', { agent: staffName(data.assigneeId) });
      if (data.via === 'self') return t('console.timeline.took', { agent: staffName(data.assigneeId) });
      if (data.via === 'call') return t('console.timeline.answeredCall', { agent: staffName(data.assigneeId) });
      return t('console.timeline.assigned', { actor, agent: staffName(data.assigneeId) });
    case 'unassigned':
      if (data.reason === 'agent_offline') return t('console.timeline.requeuedOffline', { agent: staffName(data.previousAssigneeId) });
      if (data.reason === 'call_transferred') return t('console.timeline.callTransferred', { actor });
      return t('console.timeline.unassigned', { actor });
    case 'status_changed':
      return t('console.timeline.statusChanged', {
        actor,
        from: t(`console.statuses.${text(data.from)}` as 'console.statuses.open'),
        to: t(`console.statuses.${text(data.to)}` as 'console.statuses.open'),
      });
    case 'category_changed':
      return t('console.timeline.categoryChanged', {
        actor,
        from: t(`console.categories.${text(data.from)}` as 'console.categories.other'),
        to: t(`console.categories.${text(data.to)}` as 'console.categories.other'),
      });
    case 'priority_changed':
      return t('console.timeline.priorityChanged', {
        actor,
        from: t(`console.priorities.${text(data.from)}` as 'console.priorities.normal'),
        to: t(`console.priorities.${text(data.to)}` as 'console.priorities.normal'),
      });
    case 'tags_changed': {
      const tags = Array.isArray(data.to) ? data.to.filter((tag): tag is string => typeof tag === 'string') : [];
      return tags.length > 0
        ? t('console.timeline.tagsChanged', { actor, tags: tags.join(', ') })
        : t('console.timeline.tagsCleared', { actor });
    }
    case 'linked':
      return t('console.timeline.linked', {
        actor,
        object: t(`console.linkTypes.${text(data.type) || 'transaction'}` as 'console.linkTypes.transaction'),
        id: text(data.id).slice(0, 8),
      });
    case 'sla_warning':
    case 'sla_breached': {
      const target = t(`sla.targets.${String(data.target) as 'first_reply' | 'next_reply' | 'resolution'}`);
      const due = typeof data.due === 'string' ? formatDateTime(data.due, currentLocale()) : '';
      return t(event.type === 'sla_warning' ? 'console.timeline.slaWarning' : 'console.timeline.slaBreached', { target, due });
    }
    case 'transcript_sent':
      return t('console.timeline.transcriptSent');
    case 'rating_requested':
      return t('console.timeline.ratingRequested', {
        channel: t(`rating.sources.${data.channel === 'email' ? 'email' : 'widget'}`),
      });
    case 'rated':
      return typeof data.previousScore === 'number'
        ? t('console.timeline.ratingChanged', { actor, previous: data.previousScore, score: Number(data.score) })
        : t('console.timeline.rated', { actor, score: Number(data.score) });
    case 'call_changed': {
      const state = (value: unknown) => t(`console.calls.state.${text(value) || 'ringing'}` as 'console.calls.state.ringing');
      const reasons = t('console.calls.reasons', { returnObjects: true }) as Record<string, string>;
      const reason = text(data.reason);
      return reason
        ? t('console.timeline.callChangedBecause', { from: state(data.from), to: state(data.to), reason: reasons[reason] ?? reason })
        : t('console.timeline.callChanged', { from: state(data.from), to: state(data.to) });
    }
    case 'rating_reviewed':
      return t('console.timeline.ratingReviewed', { actor });
    default:
      return t('console.timeline.other', { actor, type: event.type });
  }
}

/** "已自动隐藏 1 个卡号": what the server masked in the message before storing it. */
export function describeRedactions(redactions: Record<string, number>, t: TFunction): string {
  const parts = Object.entries(redactions)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) =>
      kind === 'card'
        ? t('console.redactions.card', { count })
        : kind === 'resident_id'
          ? t('console.redactions.residentId', { count })
          : t('console.redactions.other', { count }),
    );
  return t('console.redactions.notice', { items: parts.join(t('console.redactions.separator')) });
}

/** Messages and conversation events in one stream, with internal notes marked, receipts and images. */
export function Timeline({
  messages,
  events,
  pending,
  names,
  customerReadSeq,
  isCustomerTyping,
  onRetry,
  onLinkClick,
  emails = [],
}: {
  messages: readonly ChatMessage[];
  events: readonly ConversationEvent[];
  /** The mail side of an email conversation's messages, and its acknowledgements. */
  emails?: readonly EmailMessageView[];
  pending: readonly PendingSend[];
  names: Names;
  customerReadSeq: number;
  isCustomerTyping: boolean;
  onRetry(clientMessageId: string): void;
  onLinkClick(link: LinkedObjectRef): void;
}) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const scroller = useRef<HTMLDivElement>(null);
  const isAtBottom = useRef(true);

  const entries = useMemo(() => {
    const list: Entry[] = [
      ...events.map((event, index) => ({ kind: 'event' as const, at: event.createdAt, event, index })),
      ...messages.map((message) => ({ kind: 'message' as const, at: message.createdAt, message })),
      ...emails
        .filter((email) => email.kind === 'acknowledgement')
        .map((email) => ({ kind: 'acknowledgement' as const, at: email.createdAt, email })),
    ];
    const order = { event: 0, message: 1, acknowledgement: 2 };
    // By time; at the same instant the event (e.g. "created") comes before the message.
    return list.sort((left, right) => {
      if (left.at !== right.at) return left.at < right.at ? -1 : 1;
      if (left.kind !== right.kind) return order[left.kind] - order[right.kind];
      return left.kind === 'message' && right.kind === 'message' ? left.message.seq - right.message.seq : 0;
    });
  }, [events, messages, emails]);
  const emailByMessage = useMemo(
    () => new Map(emails.filter((email) => email.messageId).map((email) => [email.messageId as string, email])),
    [emails],
  );

  // Follow new messages while the agent is at the bottom; leave them be while they read further up.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && isAtBottom.current) element.scrollTop = element.scrollHeight;
  });
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const onScroll = () => {
      isAtBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => element.removeEventListener('scroll', onScroll);
  }, []);

  return (
    <div className="timeline" ref={scroller} role="log" aria-label={t('console.timeline.label')} aria-live="polite">
      {entries.map((entry) =>
        entry.kind === 'acknowledgement' ? (
          <AcknowledgementLine key={`email-${entry.email.id}`} email={entry.email} />
        ) : entry.kind === 'event' ? (
          <div className="timeline-event" key={`event-${entry.index}`}>
            {entry.event.type === 'linked' ? (
              <button
                type="button"
                className="timeline-event-link"
                onClick={() => {
                  const data = entry.event.data ?? {};
                  if ((data.type === 'top_up' || data.type === 'transaction' || data.type === 'card') && typeof data.id === 'string')
                    onLinkClick({ type: data.type, id: data.id });
                }}
              >
                <LinkOutlined /> {describeEvent(entry.event, names, t)}
              </button>
            ) : (
              <span>{describeEvent(entry.event, names, t)}</span>
            )}
            <time dateTime={entry.event.createdAt}>{formatShortTime(entry.event.createdAt, locale)}</time>
          </div>
        ) : (
          <Fragment key={entry.message.id}>
            <MessageBubble
              message={entry.message}
              email={emailByMessage.get(entry.message.id)}
              customerName={names.customer}
              customerReadSeq={customerReadSeq}
              locale={locale}
            />
          </Fragment>
        ),
      )}
      {pending.map((send) => (
        <div key={send.clientMessageId} className={`timeline-message from-agent${send.isInternal ? ' is-internal' : ''} is-pending`}>
          <div className="bubble">
            {send.isInternal && <InternalLabel />}
            <div className="bubble-text">{send.body}</div>
            <div className="bubble-status" role={send.state === 'failed' ? 'alert' : undefined}>
              {send.state === 'sending' ? (
                <>
                  <SyncOutlined spin /> {t('console.sending')}
                </>
              ) : (
                <>
                  <span className="send-failed">{t('console.sendFailed', { reason: send.error ?? '' })}</span>
                  <Button size="small" type="link" onClick={() => onRetry(send.clientMessageId)}>
                    {t('common.retry')}
                  </Button>
                </>
              )}
            </div>
          </div>
        </div>
      ))}
      {isCustomerTyping && (
        <div className="typing-indicator" role="status">
          {t('console.customerTyping', { name: names.customer })}
        </div>
      )}
    </div>
  );
}

function InternalLabel() {
  const { t } = useTranslation();
  return (
    <div className="internal-label">
      <LockOutlined /> {t('console.internalNote')} · {t('console.internalOnly')}
    </div>
  );
}

function MessageBubble({
  message,
  email,
  customerName,
  customerReadSeq,
  locale,
}: {
  message: ChatMessage;
  email: EmailMessageView | undefined;
  customerName: string;
  customerReadSeq: number;
  locale: string;
}) {
  const { t } = useTranslation();
  const side = message.authorType === 'agent' ? 'agent' : message.authorType === 'system' ? 'system' : 'customer';
  const author =
    side === 'customer'
      ? (message.authorName ?? customerName)
      : side === 'agent'
        ? (message.authorName ?? t('console.timeline.someAgent'))
        : t('console.timeline.system');
  const isRead = side === 'agent' && !message.isInternal && message.seq <= customerReadSeq;
  return (
    <div className={`timeline-message from-${side}${message.isInternal ? ' is-internal' : ''}`} data-seq={message.seq}>
      <div className="bubble">
        {message.isInternal && <InternalLabel />}
        <div className="bubble-meta">
          <span className="bubble-author">{author}</span>
          <time dateTime={message.createdAt}>{formatShortTime(message.createdAt, locale)}</time>
        </div>
        {message.body && <div className="bubble-text">{message.body}</div>}
        {email ? <EmailMessageExtras email={email} /> : message.attachment && <AttachmentImage attachment={message.attachment} />}
        {message.redactions && (
          <div className="redaction-note">
            <EyeInvisibleOutlined /> {describeRedactions(message.redactions, t)}
          </div>
        )}
        {isRead && <div className="bubble-receipt">{t('console.read')}</div>}
        {side === 'agent' && !message.isInternal && message.body && (
          <SaveAsArticleButton conversationId={message.conversationId} messageId={message.id} />
        )}
      </div>
    </div>
  );
}
