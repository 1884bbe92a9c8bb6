import { defineErrors } from '../../platform/index.js';

export const HoursError = defineErrors({
  calendar_not_found: { status: 404, 'zh-CN': '找不到日历 {name}', en: 'There is no calendar named {name}' },
  calendar_day_not_found: {
    status: 404,
    'zh-CN': '日历 {name} 在 {date} 没有手动设置',
    en: 'Calendar {name} has no day set by hand on {date}',
  },
  time_zone_unknown: {
    status: 400,
    'zh-CN': '时区 {zone} 无效，请使用 IANA 时区名，例如 Asia/Shanghai',
    en: 'Time zone {zone} is unknown; use an IANA name such as Asia/Shanghai',
  },
  date_out_of_range: { status: 400, 'zh-CN': '日期须在 1971 年至 2199 年之间', en: 'Dates must lie between 1971 and 2199' },
});
