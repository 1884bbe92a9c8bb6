import { defineErrors } from '../../platform/index.js';

export const RatingError = defineErrors({
  rating_not_open: {
    status: 409,
    'zh-CN': '这次咨询目前不能评价：会话结束后我们会邀请您评价',
    en: 'This conversation cannot be rated now: we ask for a rating once it is resolved',
  },
  rating_closed: {
    status: 410,
    'zh-CN': '评价提交已超过可修改的期限，无法再更改',
    en: 'This rating can no longer be changed: the time to change it has passed',
  },
  rating_link_expired: {
    status: 410,
    'zh-CN': '评价链接已过期，感谢您的关注',
    en: 'This rating link has expired; thank you all the same',
  },
  rating_link_invalid: {
    status: 404,
    'zh-CN': '评价链接无效，请使用邮件中的完整链接',
    en: 'This rating link is not valid; use the whole link from the email',
  },
  rating_not_found: { status: 404, 'zh-CN': '该会话还没有评价', en: 'This conversation has no rating' },
});
