import { socketTokenSchema } from '@okpay/contracts';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router-dom';
import { apiRequest } from '../api/client';
import { currentLocale } from '../i18n';
import { useCustomerSession } from '../session/sessions';
import { isChatWidgetInDocument, loadChatWidget, setChatIdentityProvider, setChatLocale } from './okpay-chat';

export function isStaffPath(pathname: string): boolean {
  return pathname === '/agent' || pathname.startsWith('/agent/');
}

/** A signed-in customer's chat token; the widget asks again on every (re)connect since tokens live ten minutes. */
async function customerChatToken(): Promise<string | null> {
  try {
    return (await apiRequest('/api/support/realtime-token', { method: 'POST', realm: 'customer', schema: socketTokenSchema })).token;
  } catch {
    // Signed out meanwhile (the session handler hears the 401 too): chat on as a visitor.
    return null;
  }
}

/**
 * Puts the chat bubble on every customer page and keeps it told who is signed in and in which
 * language. The console pages (/agent) never load it; arriving there from a page that did reloads
 * the document, because the widget has no way to take itself off a page.
 */
export function ChatWidgetBridge() {
  // Re-rendered on a language change, so the effect below sees the new one.
  useTranslation();
  const locale = currentLocale();
  const { pathname } = useLocation();
  const session = useCustomerSession();
  const isStaffPage = isStaffPath(pathname);
  const { state, load } = session;
  // The identity last handed to the widget: a customer id, null for a visitor after sign-out, undefined before any.
  const appliedIdentity = useRef<string | null | undefined>(undefined);

  useEffect(() => {
    if (!isStaffPage) loadChatWidget();
    else if (isChatWidgetInDocument()) window.location.reload();
  }, [isStaffPage]);

  // Public pages do not need the session, but the chat does: a signed-in customer is verified to the
  // agent. (Under /app, RequireSession asks already.)
  const isCustomerArea = pathname === '/app' || pathname.startsWith('/app/');
  useEffect(() => {
    if (!isStaffPage && !isCustomerArea && state.status === 'unknown') void load();
  }, [isStaffPage, isCustomerArea, state.status, load]);

  const customerId = state.status === 'signed-in' ? state.account.id : undefined;
  const isSignedOut = state.status === 'signed-out';
  useEffect(() => {
    if (isStaffPage) return;
    if (customerId && appliedIdentity.current !== customerId) {
      appliedIdentity.current = customerId;
      setChatIdentityProvider(customerChatToken);
    } else if (isSignedOut && appliedIdentity.current) {
      // Whoever uses this browser next must not see the previous customer's chat.
      appliedIdentity.current = null;
      setChatIdentityProvider(async () => null);
    }
  }, [isStaffPage, customerId, isSignedOut]);

  useEffect(() => {
    if (!isStaffPage) setChatLocale(locale);
  }, [isStaffPage, locale]);

  return null;
}
