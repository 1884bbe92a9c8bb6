import type { HelpSearchResult, HelpSuggestionOutcome, Locale } from '@okpay/contracts';
import { type Deps, publishEvent, withTransaction } from '../../platform/index.js';
import type { Participant } from '../conversations/participant.js';
import { maskSensitive } from '../masking/mask-sensitive.js';
import { HelpError } from './help-centre.errors.js';
import { findSuggestion, insertSuggestion, updateSuggestion } from './help-centre.repository.js';
import { searchHelp } from './search-help.js';

type Asker = Extract<Participant, { kind: 'customer' | 'visitor' }> | undefined;

export type SuggestInput = { q: string; locale: Locale; surface: 'composer' | 'pre_chat'; suggestionId?: string; asker: Asker };

function ownerOf(asker: Asker) {
  return {
    customerId: asker?.kind === 'customer' ? asker.customerId : null,
    visitorId: asker?.kind === 'visitor' ? asker.visitorId : null,
  };
}

function isSameAsker(row: { customerId: string | null; visitorId: string | null }, asker: Asker): boolean {
  const owner = ownerOf(asker);
  return row.customerId === owner.customerId && row.visitorId === owner.visitorId;
}

/**
 * Up to three articles for what a customer is typing before a chat. One round of typing is one
 * suggestion record (the widget sends its id back), so reports count each attempt at contact once:
 * shown, opened, and whether the customer chatted anyway. What was typed is masked before storage.
 */
export async function suggestArticles(
  deps: Pick<Deps, 'pool' | 'clock' | 'db' | 'config'>,
  input: SuggestInput,
): Promise<{ suggestionId: string | null; results: HelpSearchResult[] }> {
  const results = await searchHelp(deps, { q: input.q, locale: input.locale, limit: 3 });
  const existing = input.suggestionId ? await findSuggestion(deps.db, input.suggestionId) : undefined;
  const isOpenRound = existing && !existing.chatStartedAt && isSameAsker(existing, input.asker);
  if (results.length === 0) return { suggestionId: isOpenRound ? existing.id : null, results };
  const now = deps.clock.now();
  const query = maskSensitive(input.q.slice(0, 500)).text;
  const shown = results.map((result) => result.slug);
  return withTransaction(deps.pool, async (tx) => {
    if (isOpenRound) {
      await updateSuggestion(tx, existing.id, {
        query,
        shownSlugs: Array.from(new Set([...existing.shownSlugs, ...shown])),
        updatedAt: now,
      });
      return { suggestionId: existing.id, results };
    }
    const row = await insertSuggestion(tx, {
      surface: input.surface,
      locale: input.locale,
      query,
      shownSlugs: shown,
      ...ownerOf(input.asker),
      shownAt: now,
      updatedAt: now,
    });
    await publishEvent(tx, {
      type: 'support.help-suggestions.shown',
      subject: { type: 'help_suggestion', id: row.id },
      payload: { surface: input.surface, locale: input.locale, slugs: shown, customerId: row.customerId },
    });
    return { suggestionId: row.id, results };
  });
}

/** The customer opened a suggested article, or started the chat anyway. Each is recorded once. */
export async function recordSuggestionOutcome(
  deps: Pick<Deps, 'pool' | 'clock'>,
  input: HelpSuggestionOutcome & { suggestionId: string; asker: Asker },
): Promise<void> {
  await withTransaction(deps.pool, async (tx) => {
    const row = await findSuggestion(tx, input.suggestionId);
    if (!row || !isSameAsker(row, input.asker)) throw HelpError('help_suggestion_not_found');
    const now = deps.clock.now();
    if (input.outcome === 'opened') {
      if (!input.slug || row.openedSlugs.includes(input.slug)) return;
      await updateSuggestion(tx, row.id, {
        openedSlugs: [...row.openedSlugs, input.slug],
        openedAt: row.openedAt ?? now,
        updatedAt: now,
      });
      await publishEvent(tx, {
        type: 'support.help-suggestion.opened',
        subject: { type: 'help_suggestion', id: row.id },
        payload: { slug: input.slug, wasSuggested: row.shownSlugs.includes(input.slug) },
      });
      return;
    }
    if (row.chatStartedAt) return;
    await updateSuggestion(tx, row.id, { chatStartedAt: now, conversationId: input.conversationId ?? null, updatedAt: now });
    await publishEvent(tx, {
      type: 'support.help-suggestion.chat-started',
      subject: { type: 'help_suggestion', id: row.id },
      payload: { conversationId: input.conversationId ?? null, openedSlugs: row.openedSlugs, shownSlugs: row.shownSlugs },
    });
  });
}
