import { LockOutlined, QuestionCircleOutlined, SendOutlined } from '@ant-design/icons';
import type { Locale } from '@okpay/contracts';
import { Button, Input, Segmented, Spin } from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { type KeyboardEvent, type Ref, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CannedResponse, listCannedResponses } from '../../api/agent-console';
import { HelpLinkPicker } from '../help/help-link-picker';
import { useConsoleConnection } from './console-context';

export type ComposerMode = 'reply' | 'note';

export type ComposerHandle = {
  focus(mode?: ComposerMode): void;
  /** Starts a canned-response search, as typing "/" does. */
  openCanned(): void;
  blur(): void;
};

// Typing is best-effort: at most one "typing" every 3 s, and "stopped" after 4 s without a key.
const typingEveryMs = 3_000;
const typingIdleMs = 4_000;

/** Reply or internal note; "/" searches canned responses; Enter sends, Shift+Enter is a new line. */
export function Composer({
  conversationId,
  isDisabled,
  disabledReason,
  onSend,
  onShowShortcuts,
  locale,
  ref,
}: {
  conversationId: string;
  /** The customer's language, for help articles. */
  locale?: Locale;
  isDisabled: boolean;
  disabledReason?: string;
  onSend(body: string, isInternal: boolean): void;
  onShowShortcuts(): void;
  ref?: Ref<ComposerHandle>;
}) {
  const { t } = useTranslation();
  const connection = useConsoleConnection();
  const [mode, setMode] = useState<ComposerMode>('reply');
  const [value, setValue] = useState('');
  const textArea = useRef<TextAreaRef>(null);
  const typingSentAt = useRef(0);
  const typingStop = useRef<ReturnType<typeof setTimeout>>(undefined);

  const stopTyping = () => {
    clearTimeout(typingStop.current);
    if (typingSentAt.current) connection.emitVolatile('typing', { conversationId, isTyping: false });
    typingSentAt.current = 0;
  };
  useEffect(() => () => clearTimeout(typingStop.current), []);

  const noteTyping = (next: string) => {
    // Notes are for colleagues: the customer must not see "agent is typing" for them.
    if (mode !== 'reply' || next.startsWith('/')) return;
    const now = Date.now();
    if (now - typingSentAt.current > typingEveryMs) {
      typingSentAt.current = now;
      connection.emitVolatile('typing', { conversationId, isTyping: true });
    }
    clearTimeout(typingStop.current);
    typingStop.current = setTimeout(stopTyping, typingIdleMs);
  };

  const cannedQuery = /^\/(\S*)$/.exec(value)?.[1];
  const canned = useCannedResponses(conversationId, cannedQuery);
  // The first suggestion is highlighted again whenever the search changes.
  const [highlight, setHighlight] = useState({ query: cannedQuery, index: 0 });
  const highlighted = highlight.query === cannedQuery ? highlight.index : 0;
  const setHighlighted = (index: number) => setHighlight({ query: cannedQuery, index });

  const pickCanned = (response: CannedResponse) => {
    setValue(response.body);
    textArea.current?.focus();
  };

  const submit = () => {
    const body = value.trim();
    if (!body || isDisabled) return;
    onSend(body, mode === 'note');
    setValue('');
    stopTyping();
  };

  useImperativeHandle(ref, () => ({
    focus(next) {
      if (next) setMode(next);
      textArea.current?.focus();
    },
    openCanned() {
      setMode('reply');
      setValue('/');
      textArea.current?.focus();
    },
    blur() {
      textArea.current?.blur();
    },
  }));

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // While a Chinese IME is composing, Enter picks characters: it must not send.
    if (event.nativeEvent.isComposing) return;
    const options = canned.responses;
    if (cannedQuery !== undefined && options.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setHighlighted((highlighted + (event.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        const choice = options[highlighted];
        if (choice) pickCanned(choice);
        return;
      }
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      if (cannedQuery !== undefined) setValue('');
      else textArea.current?.blur();
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      submit();
    }
  };

  const isNote = mode === 'note';
  return (
    <div className={`composer${isNote ? ' is-note' : ''}`}>
      {cannedQuery !== undefined && (
        <div className="canned-menu" role="listbox" aria-label={t('console.canned.title')}>
          <div className="canned-menu-title">{t('console.canned.title')}</div>
          {canned.isLoading && canned.responses.length === 0 ? (
            <div className="canned-menu-empty">
              <Spin size="small" />
            </div>
          ) : canned.responses.length === 0 ? (
            <div className="canned-menu-empty">{t('console.canned.none')}</div>
          ) : (
            canned.responses.map((response, index) => (
              <div
                key={response.id}
                role="option"
                tabIndex={-1}
                aria-selected={index === highlighted}
                className={`canned-option${index === highlighted ? ' is-highlighted' : ''}`}
                onMouseEnter={() => setHighlighted(index)}
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => pickCanned(response)}
                onKeyDown={() => undefined}
              >
                <span className="canned-option-head">
                  <span className="canned-shortcut">/{response.shortcut}</span>
                  <span className="canned-title">{response.title}</span>
                  <span className="canned-locale">{response.locale === 'en' ? 'EN' : '中'}</span>
                </span>
                <span className="canned-body">{response.body}</span>
              </div>
            ))
          )}
          <div className="canned-menu-hint">{t('console.canned.hint')}</div>
        </div>
      )}
      <div className="composer-head">
        <Segmented<ComposerMode>
          size="small"
          value={mode}
          onChange={(next) => {
            if (next === 'note') stopTyping();
            setMode(next);
            textArea.current?.focus();
          }}
          options={[
            { value: 'reply', label: t('console.composer.reply') },
            {
              value: 'note',
              label: (
                <span>
                  <LockOutlined /> {t('console.composer.note')}
                </span>
              ),
            },
          ]}
          aria-label={t('console.composer.mode')}
        />
        {isNote && <span className="composer-hint">{t('console.composer.noteHint')}</span>}
        {!isNote && (
          <HelpLinkPicker
            locale={locale ?? 'zh-CN'}
            onInsert={(text) => {
              setValue((previous) => (previous.trim() ? `${previous.trimEnd()}\n${text}` : text));
              textArea.current?.focus();
            }}
          />
        )}
        <Button
          className="composer-shortcuts"
          size="small"
          type="text"
          icon={<QuestionCircleOutlined />}
          onClick={onShowShortcuts}
          aria-keyshortcuts="?"
          aria-label={t('console.shortcuts.title')}
          title={t('console.shortcuts.title')}
        />
      </div>
      <div className="composer-body">
        <Input.TextArea
          ref={textArea}
          value={value}
          disabled={isDisabled}
          autoSize={{ minRows: 2, maxRows: 8 }}
          maxLength={4000}
          aria-label={isNote ? t('console.composer.noteLabel') : t('console.composer.replyLabel')}
          placeholder={
            isDisabled ? disabledReason : isNote ? t('console.composer.notePlaceholder') : t('console.composer.replyPlaceholder')
          }
          onChange={(event) => {
            setValue(event.target.value);
            noteTyping(event.target.value);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => stopTyping()}
        />
        <Button
          type="primary"
          className={isNote ? 'composer-send is-note' : 'composer-send'}
          icon={<SendOutlined />}
          disabled={isDisabled || !value.trim() || cannedQuery !== undefined}
          onClick={submit}
        >
          {isNote ? t('console.composer.addNote') : t('console.composer.send')}
        </Button>
      </div>
      <div className="composer-keys">{t('console.composer.keysHint')}</div>
    </div>
  );
}

/** Canned responses for the conversation, with the customer's and agent's names already filled in by the server. */
function useCannedResponses(conversationId: string, query: string | undefined) {
  const [responses, setResponses] = useState<CannedResponse[]>([]);
  const [isLoading, setLoading] = useState(false);
  useEffect(() => {
    if (query === undefined) {
      setResponses([]);
      return;
    }
    let isCurrent = true;
    setLoading(true);
    const timer = setTimeout(() => {
      listCannedResponses(conversationId, query)
        .then(
          (answer) => {
            if (isCurrent) setResponses(answer.responses.slice(0, 8));
          },
          () => {
            if (isCurrent) setResponses([]);
          },
        )
        .finally(() => {
          if (isCurrent) setLoading(false);
        });
    }, 150);
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [conversationId, query]);
  return { responses, isLoading };
}
