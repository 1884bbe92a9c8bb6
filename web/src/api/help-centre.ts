import {
  type HelpCategory,
  type HelpEditableFields,
  type HelpStaffArticle,
  type HelpVersion,
  helpImageSchema,
  helpPreviewResponseSchema,
  helpSearchResponseSchema,
  helpStaffArticleListSchema,
  helpStaffArticleSchema,
  helpVersionListSchema,
  helpVersionSchema,
  type Locale,
} from '@okpay/contracts';
import { apiRequest } from './client';

export const searchHelpArticles = (q: string, locale: Locale) =>
  apiRequest(`/api/help/search?q=${encodeURIComponent(q)}&locale=${locale}&limit=5`, { schema: helpSearchResponseSchema });

export const listHelpArticlesForStaff = async () =>
  (await apiRequest('/api/agent/help/articles', { schema: helpStaffArticleListSchema })).articles;

export const getHelpArticleForStaff = (id: string) => apiRequest(`/api/agent/help/articles/${id}`, { schema: helpStaffArticleSchema });

export const createHelpArticle = (input: HelpEditableFields & { slug: string; category: HelpCategory; locale: Locale }) =>
  apiRequest('/api/agent/help/articles', { method: 'POST', body: input, schema: helpStaffArticleSchema });

export const saveHelpDraft = (id: string, locale: Locale, input: HelpEditableFields & { baseVersion: number }) =>
  apiRequest(`/api/agent/help/articles/${id}/locales/${locale}/draft`, { method: 'PUT', body: input, schema: helpVersionSchema });

export type ReviewStep = 'submit' | 'publish' | 'send-back';
export const reviewHelpVersion = (id: string, locale: Locale, step: ReviewStep, note?: string) =>
  apiRequest(`/api/agent/help/articles/${id}/locales/${locale}/${step}`, {
    method: 'POST',
    body: step === 'send-back' ? { note } : undefined,
    schema: helpVersionSchema,
  });

export const listHelpVersions = async (id: string): Promise<HelpVersion[]> =>
  (await apiRequest(`/api/agent/help/articles/${id}/versions`, { schema: helpVersionListSchema })).versions;

export const restoreHelpVersion = (id: string, locale: Locale, version: number) =>
  apiRequest(`/api/agent/help/articles/${id}/locales/${locale}/versions/${version}/restore`, { method: 'POST', schema: helpVersionSchema });

export const updateHelpSettings = (id: string, input: { category: HelpCategory; related: string[] }) =>
  apiRequest(`/api/agent/help/articles/${id}/settings`, { method: 'PUT', body: input, schema: helpStaffArticleSchema });

export const previewHelpArticle = (body: string, locale: Locale) =>
  apiRequest('/api/agent/help/preview', { method: 'POST', body: { body, locale }, schema: helpPreviewResponseSchema });

export const uploadHelpImage = (file: File) => {
  const form = new FormData();
  form.append('file', file);
  return apiRequest('/api/agent/help/images', { method: 'POST', body: form, schema: helpImageSchema });
};

export const draftArticleFromMessage = (conversationId: string, messageId: string): Promise<HelpStaffArticle> =>
  apiRequest(`/api/agent/conversations/${conversationId}/messages/${messageId}/help-draft`, {
    method: 'POST',
    body: {},
    schema: helpStaffArticleSchema,
  });
