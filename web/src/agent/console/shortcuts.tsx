import { Modal } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export type ShortcutHandlers = {
  next(): void;
  previous(): void;
  reply(): void;
  note(): void;
  resolve(): void;
  canned(): void;
  help(): void;
};

const keys: Record<string, keyof ShortcutHandlers> = {
  j: 'next',
  k: 'previous',
  r: 'reply',
  n: 'note',
  e: 'resolve',
  '/': 'canned',
  '?': 'help',
};

/** The console's single-key shortcuts; they stay out of the way while the agent types anywhere or a dialog is open. */
export function useShortcuts(handlers: ShortcutHandlers): void {
  useKeyShortcuts(keys, handlers);
}

/** Single keys mapped to actions, on any console page, by the same rules as the inbox's shortcuts. */
export function useKeyShortcuts<A extends string>(bindings: Record<string, A>, handlers: Record<A, () => void>): void {
  const latest = useRef({ bindings, handlers });
  useEffect(() => {
    latest.current = { bindings, handlers };
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (target?.closest('input, textarea, select, [contenteditable="true"], .ant-modal, .ant-drawer, .ant-select-dropdown')) return;
      if (document.querySelector('.ant-modal-wrap:not([style*="display: none"]) .ant-modal')) return;
      const action = latest.current.bindings[event.key];
      if (!action) return;
      event.preventDefault();
      latest.current.handlers[action]();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}

export const shortcutList: Array<{ keys: string[]; action: string }> = [
  { keys: ['j'], action: 'next' },
  { keys: ['k'], action: 'previous' },
  { keys: ['r'], action: 'reply' },
  { keys: ['n'], action: 'note' },
  { keys: ['e'], action: 'resolve' },
  { keys: ['/'], action: 'canned' },
  { keys: ['Enter'], action: 'send' },
  { keys: ['Shift', 'Enter'], action: 'newline' },
  { keys: ['Esc'], action: 'leave' },
  { keys: ['a'], action: 'answer' },
  { keys: ['m'], action: 'mute' },
  { keys: ['h'], action: 'hold' },
  { keys: ['?'], action: 'help' },
];

export function ShortcutHelp({ isOpen, onClose }: { isOpen: boolean; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Modal open={isOpen} title={t('console.shortcuts.title')} footer={null} onCancel={onClose} width={440}>
      <table className="shortcut-table">
        <tbody>
          {shortcutList.map((shortcut) => (
            <tr key={shortcut.action}>
              <td className="shortcut-keys">
                {shortcut.keys.map((key, index) => (
                  <span key={key}>
                    {index > 0 && ' + '}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </td>
              <td>{t(`console.shortcuts.${shortcut.action as 'next'}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
