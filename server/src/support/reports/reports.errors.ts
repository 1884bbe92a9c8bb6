import { defineErrors } from '../../platform/index.js';

export const ReportError = defineErrors({
  report_range_invalid: { status: 400, 'zh-CN': '结束日期须晚于开始日期', en: 'The end of the range must come after its start' },
  report_range_too_long: {
    status: 400,
    'zh-CN': '报表最长覆盖 {days} 天，请缩短日期范围',
    en: 'A report covers at most {days} days; choose a shorter range',
  },
  report_bucket_too_fine: {
    status: 400,
    'zh-CN': '按小时查看最多 {days} 天，请按天或按周查看更长的范围',
    en: 'Hourly buckets cover at most {days} days; use days or weeks for a longer range',
  },
  staffing_date_out_of_range: {
    status: 400,
    'zh-CN': '只能查看前后一年内某天的排班建议',
    en: 'Staffing can be planned for a day within a year of today only',
  },
  report_table_not_found: { status: 404, 'zh-CN': '该报表没有名为 {table} 的表格', en: 'This report has no table named {table}' },
});
