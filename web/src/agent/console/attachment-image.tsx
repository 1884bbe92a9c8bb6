import type { ChatMessage } from '@okpay/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getAttachmentLink } from '../../api/agent-console';

/**
 * A chat image or file by its signed link. Links last minutes: one that stopped working (the
 * conversation stayed open) is fetched again once before the image counts as failed.
 */
export function AttachmentImage({ attachment }: { attachment: NonNullable<ChatMessage['attachment']> }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [failed, setFailed] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new attempt is what asks for a fresh link
  useEffect(() => {
    let isCurrent = true;
    getAttachmentLink(attachment.id).then(
      (link) => isCurrent && setUrl(link.url),
      () => isCurrent && setFailed(true),
    );
    return () => {
      isCurrent = false;
    };
  }, [attachment.id, attempt]);
  if (failed) return <div className="bubble-image-placeholder">{t('console.imageFailed')}</div>;
  if (!url) return <div className="bubble-image-placeholder">{t('console.imageLoading')}</div>;
  if (!attachment.mimeType.startsWith('image/')) {
    return (
      <a href={url} target="_blank" rel="noreferrer">
        {attachment.fileName}
      </a>
    );
  }
  return (
    <a href={url} target="_blank" rel="noreferrer" className="bubble-image-link">
      <img
        className="bubble-image"
        src={url}
        alt={t('console.imageAlt', { name: attachment.fileName })}
        onError={() => (attempt === 0 ? setAttempt(1) : setFailed(true))}
      />
    </a>
  );
}
