import { MessageOutlined } from '@ant-design/icons';
import type { ConversationCategory } from '@okpay/contracts';
import { type App, Button } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';

type Notifications = ReturnType<typeof App.useApp>['notification'];

/**
 * A console notification with a button that opens what it is about, at the bottom left: over the
 * end of the inbox, never over the composer or the customer panel.
 */
export function showOpenableNotice(
  notification: Notifications,
  show: Notifications['info'],
  notice: { key: string; title: ReactNode; description?: ReactNode; icon: ReactNode; openLabel: string; onOpen(): void },
): void {
  show({
    key: notice.key,
    title: notice.title,
    description: notice.description,
    icon: notice.icon,
    placement: 'bottomLeft',
    actions: (
      <Button
        type="primary"
        size="small"
        onClick={() => {
          notification.destroy(notice.key);
          notice.onOpen();
        }}
      >
        {notice.openLabel}
      </Button>
    ),
  });
}

/** "A chat was assigned to you", wherever in the console the agent is. */
export function showAssignedNotice(
  notification: Notifications,
  t: TFunction,
  assigned: { conversationId: string; category: ConversationCategory },
  onOpen: () => void,
): void {
  showOpenableNotice(notification, notification.info, {
    key: `assigned-${assigned.conversationId}`,
    title: t('console.notify.assignedTitle', { category: t(`console.categories.${assigned.category}`) }),
    description: t('console.notify.assignedBody'),
    icon: <MessageOutlined />,
    openLabel: t('console.notify.open'),
    onOpen,
  });
}
