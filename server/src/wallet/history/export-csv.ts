import { formatMinorUnits, type Locale } from '@okpay/contracts';
import { describeCustomerFailure } from '../failure-reasons.js';
import type { TransactionRow } from './list-transactions.js';

const labels = {
  'zh-CN': {
    headers: ['时间', '类型', '状态', '金额', '币种', '兑换所得', '兑换币种', '对方', '备注', '失败原因', '交易号'],
    type: { top_up: '充值', transfer_out: '转出', transfer_in: '转入', exchange: '货币兑换' },
    status: { pending: '处理中', succeeded: '成功', failed: '失败' },
  },
  en: {
    headers: [
      'Time',
      'Type',
      'Status',
      'Amount',
      'Currency',
      'Received',
      'Received currency',
      'Counterparty',
      'Note',
      'Failure reason',
      'Transaction ID',
    ],
    type: { top_up: 'Top-up', transfer_out: 'Sent', transfer_in: 'Received', exchange: 'Exchange' },
    status: { pending: 'Pending', succeeded: 'Succeeded', failed: 'Failed' },
  },
} as const;

function csvField(value: string): string {
  // Leading = + - @ would run as formulas in spreadsheets (CSV injection); quote everything.
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** A statement as CSV with a BOM, so Excel opens Chinese text correctly; times in the operator's zone. */
export function transactionsCsv(rows: TransactionRow[], locale: Locale, timeZone: string): string {
  const text = labels[locale];
  const time = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
  const lines = rows.map((row) =>
    [
      time.format(row.created_at),
      text.type[row.type],
      text.status[row.status],
      formatMinorUnits(Number(row.amount), row.currency).replace(/,/g, ''),
      row.currency,
      row.counter_amount !== null && row.counter_currency
        ? formatMinorUnits(Number(row.counter_amount), row.counter_currency).replace(/,/g, '')
        : '',
      row.counter_currency ?? '',
      row.counterparty_name ?? '',
      row.note ?? '',
      describeCustomerFailure(row, locale)?.message ?? '',
      row.id,
    ]
      .map(csvField)
      .join(','),
  );
  return `\ufeff${[text.headers.map(csvField).join(','), ...lines].join('\r\n')}\r\n`;
}
