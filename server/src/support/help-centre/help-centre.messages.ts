import { defineMessages } from '../../platform/index.js';

/** Words the help centre fills in for editors. */
export const helpMessage = defineMessages({
  untitled_article: { 'zh-CN': '新文章', en: 'New article' },
});
