import { defineErrors } from '../../platform/index.js';

export const HelpError = defineErrors({
  help_article_not_found: { status: 404, 'zh-CN': '找不到这篇帮助文章', en: 'Help article not found' },
  help_version_not_found: { status: 404, 'zh-CN': '找不到该版本', en: 'Version not found' },
  help_draft_changed: {
    status: 409,
    'zh-CN': '这篇文章已有更新的草稿，请刷新后再编辑',
    en: 'Someone saved a newer draft of this article; reload before editing',
  },
  help_not_in_review: { status: 409, 'zh-CN': '该版本不在待审核状态', en: 'This version is not waiting for review' },
  help_no_draft: { status: 409, 'zh-CN': '没有可提交的草稿', en: 'There is no draft to submit' },
  help_reviewer_is_author: {
    status: 403,
    'zh-CN': '发布需要由作者以外的另一位编辑审核',
    en: 'Another editor, not the author, must review and publish it',
  },
  help_slug_taken: { status: 409, 'zh-CN': '该链接名已被其他文章使用', en: 'Another article already uses this slug' },
  help_unknown_facts: {
    status: 400,
    'zh-CN': '文中使用了不存在的占位符：{names}',
    en: 'The text uses placeholders that do not exist: {names}',
  },
  help_suggestion_not_found: { status: 404, 'zh-CN': '找不到该推荐记录', en: 'Suggestion not found' },
  help_image_type: { status: 415, 'zh-CN': '只支持 JPG、PNG、GIF 或 WebP 图片', en: 'Only JPG, PNG, GIF or WebP images are accepted' },
  help_image_too_large: { status: 413, 'zh-CN': '图片不能超过 {limit}', en: 'Images must be at most {limit}' },
  help_message_not_found: { status: 404, 'zh-CN': '找不到该消息', en: 'Message not found' },
});
