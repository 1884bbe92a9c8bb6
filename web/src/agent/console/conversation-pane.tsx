import { Alert, Skeleton } from 'antd';
import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkedObjectRef, StaffWithLoad } from '../../api/agent-console';
import { CallLog } from './call-log';
import { Composer, type ComposerHandle } from './composer';
import { ConversationHeader } from './conversation-header';
import { RatingSummary } from './rating-summary';
import { Timeline } from './timeline';
import type { OpenConversation } from './use-conversation';

/** The middle column: header, timeline and composer of the chosen conversation. */
export function ConversationPane({
  open,
  customerName,
  staffId,
  canReassign,
  agents,
  staffNames,
  composerRef,
  isPanelToggleShown,
  onTogglePanel,
  onLinkClick,
  onShowShortcuts,
}: {
  open: OpenConversation;
  customerName: string;
  staffId: string;
  canReassign: boolean;
  agents: StaffWithLoad[];
  staffNames: ReadonlyMap<string, string>;
  composerRef: Ref<ComposerHandle>;
  isPanelToggleShown: boolean;
  onTogglePanel(): void;
  onLinkClick(link: LinkedObjectRef): void;
  onShowShortcuts(): void;
}) {
  const { t } = useTranslation();
  if (open.error) return <Alert type="error" showIcon title={open.error} className="conversation-error" />;
  if (!open.detail) {
    return (
      <div className="conversation-loading">
        <Skeleton active paragraph={{ rows: 6 }} />
      </div>
    );
  }
  const { conversation, events, email, rating, survey, calls, callbacks } = open.detail;
  const isClosed = conversation.status === 'closed';
  return (
    <>
      <ConversationHeader
        conversation={conversation}
        customerName={customerName}
        staffId={staffId}
        canReassign={canReassign}
        agents={agents}
        onChanged={() => void open.refresh()}
        afterSends={open.settled}
        isPanelToggleShown={isPanelToggleShown}
        onTogglePanel={onTogglePanel}
      />
      <RatingSummary
        conversationId={conversation.id}
        rating={rating}
        survey={survey}
        canReview={canReassign}
        onChanged={() => void open.refresh()}
      />
      <CallLog calls={calls} callbacks={callbacks} staffNames={staffNames} />
      <Timeline
        messages={open.thread.messages}
        events={events}
        pending={open.thread.pending}
        names={{ staff: staffNames, customer: customerName }}
        customerReadSeq={open.customerReadSeq}
        isCustomerTyping={open.isCustomerTyping}
        onRetry={open.retry}
        onLinkClick={onLinkClick}
        emails={email.messages}
      />
      {email.thread && !isClosed && (
        <Alert
          className="composer-notice"
          type={email.thread.isUndeliverable ? 'warning' : 'info'}
          showIcon
          title={
            email.thread.isUndeliverable
              ? t('console.email.undeliverable', { address: email.thread.address, status: email.thread.bounceStatus ?? '' })
              : t('console.email.replyHint', { address: email.thread.address })
          }
        />
      )}
      <Composer
        ref={composerRef}
        conversationId={conversation.id}
        isDisabled={isClosed}
        disabledReason={t('console.composer.closed')}
        onSend={open.send}
        onShowShortcuts={onShowShortcuts}
        locale={conversation.locale === 'en' ? 'en' : 'zh-CN'}
      />
    </>
  );
}
