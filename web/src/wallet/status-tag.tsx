import { CheckCircleOutlined, ClockCircleOutlined, CloseCircleOutlined } from '@ant-design/icons';
import type { WalletTransaction } from '@okpay/contracts';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const looks = {
  succeeded: { color: 'success', icon: <CheckCircleOutlined /> },
  pending: { color: 'processing', icon: <ClockCircleOutlined /> },
  failed: { color: 'error', icon: <CloseCircleOutlined /> },
} as const;

export function StatusTag({ status }: { status: WalletTransaction['status'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={looks[status].color} icon={looks[status].icon} className="status-tag">
      {t(`history.statuses.${status}`)}
    </Tag>
  );
}
