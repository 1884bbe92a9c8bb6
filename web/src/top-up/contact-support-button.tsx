import { CustomerServiceOutlined } from '@ant-design/icons';
import { App, Button, type ButtonProps, Typography } from 'antd';
import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { openChat } from '../support-chat/okpay-chat';

/** 联系客服处理此充值: opens the chat with the top-up attached, so the agent sees it without asking. */
export function ContactSupportAboutTopUp({ topUpId, size, type = 'default' }: { topUpId: string } & Pick<ButtonProps, 'size' | 'type'>) {
  const { t } = useTranslation();
  const { modal } = App.useApp();

  const contact = (event: MouseEvent) => {
    // It sits inside clickable rows (the history); opening the chat must not open the row as well.
    event.stopPropagation();
    if (openChat({ category: 'top_up', links: [{ type: 'top_up', id: topUpId }] })) return;
    // The widget script could not be loaded (blocked or offline): give the customer the reference to quote instead.
    modal.info({
      title: t('contactSupport.chatUnavailableTitle'),
      content: (
        <>
          <Typography.Paragraph>{t('contactSupport.chatUnavailableBody')}</Typography.Paragraph>
          <Typography.Text type="secondary">{t('contactSupport.topUpReference')} </Typography.Text>
          <Typography.Text copyable code>
            {topUpId}
          </Typography.Text>
        </>
      ),
      okText: t('contactSupport.gotIt'),
    });
  };

  return (
    <Button size={size} type={type} icon={<CustomerServiceOutlined />} onClick={contact}>
      {t('contactSupport.contactAboutTopUp')}
    </Button>
  );
}
