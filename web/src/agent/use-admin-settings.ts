import type { QueryKey } from '@tanstack/react-query';
import { App } from 'antd';
import { useState } from 'react';
import { messageOf } from '../api/client';
import { useLoaded } from '../api/use-loaded';
import { useStaffSession } from '../session/sessions';

/**
 * A settings page that admins edit and other staff read: the loaded settings, replaced by what each
 * change answers (the server returns the whole new settings), with the outcome told as a toast.
 */
export function useAdminSettings<Settings>(key: QueryKey, load: () => Promise<Settings>) {
  const session = useStaffSession();
  const isAdmin = session.state.status === 'signed-in' && session.state.account.role === 'admin';
  const loaded = useLoaded(key, load);
  const [changed, setChanged] = useState<Settings>();
  const { message } = App.useApp();

  /** Resolves to whether the change was accepted. */
  const apply = async (change: Promise<Settings>, done: string): Promise<boolean> => {
    try {
      setChanged(await change);
      void message.success(done);
      return true;
    } catch (caught) {
      void message.error(messageOf(caught));
      return false;
    }
  };

  return { isAdmin, current: changed ?? loaded.data, error: loaded.error, apply };
}
