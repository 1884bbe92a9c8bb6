import { FileAddOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { messageOf } from '../../api/client';
import { draftArticleFromMessage } from '../../api/help-centre';

/** A good answer becomes a draft article; an editor reviews it before customers see it. */
export function SaveAsArticleButton({ conversationId, messageId }: { conversationId: string; messageId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [isSaving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    try {
      const article = await draftArticleFromMessage(conversationId, messageId);
      void message.success(t('helpCentre.savedAsArticle'));
      void navigate(`/agent/help/${article.id}?locale=${article.sourceLocale}`);
    } catch (error) {
      void message.error(messageOf(error));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Button className="save-as-article" size="small" type="text" icon={<FileAddOutlined />} loading={isSaving} onClick={() => void save()}>
      {t('helpCentre.saveAsArticle')}
    </Button>
  );
}
