import { formatMinorUnits, type Locale } from '@okpay/contracts';
import { type CsvColumn, toCsv } from '../../platform/index.js';
import { describeCustomerFailure } from '../failure-reasons.js';
import type { TransactionRow } from './history.repository.js';

const labels = {
  'zh-CN': {
    headers: {
      time: '时间',
      type: '类型',
      status: '状态',
      amount: '金额',
      currency: '币种',
      received: '兑换所得',
      receivedCurrency: '兑换币种',
      counterparty: '对方',
      note: '备注',
      failure: '失败原因',
      id: '交易号',
    },
    type: { top_up: '充值', transfer_out: '转出', transfer_in: '转入', exchange: '货币兑换' },
    status: { pending: '处理中', succeeded: '成功', failed: '失败' },
  },
  en: {
    headers: {
      time: 'Time',
      type: 'Type',
      status: 'Status',
      amount: 'Amount',
      currency: 'Currency',
      received: 'Received',
      receivedCurrency: 'Received currency',
      counterparty: 'Counterparty',
      note: 'Note',
      failure: 'Failure reason',
      id: 'Transaction ID',
    },
    type: { top_up: 'Top-up', transfer_out: 'Sent', transfer_in: 'Received', exchange: 'Exchange' },
    status: { pending: 'Pending', succeeded: 'Succeeded', failed: 'Failed' },
  },
} as const;

/** An amount as a plain decimal, negative for money out (as stored), without grouping separators. */
const decimal = (amount: number, currency: TransactionRow['currency']) => formatMinorUnits(amount, currency).replace(/,/g, '');

/** A statement as CSV, times in the operator's zone; names and notes are the customer's text, neutralised. */
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
  const header = text.headers;
  const columns: Array<CsvColumn<TransactionRow>> = [
    { header: header.time, value: (row) => time.format(row.createdAt) },
    { header: header.type, value: (row) => text.type[row.type] },
    { header: header.status, value: (row) => text.status[row.status] },
    { header: header.amount, kind: 'number', value: (row) => decimal(row.amount, row.currency) },
    { header: header.currency, value: (row) => row.currency },
    {
      header: header.received,
      kind: 'number',
      value: (row) => (row.counterAmount !== null && row.counterCurrency ? decimal(row.counterAmount, row.counterCurrency) : ''),
    },
    { header: header.receivedCurrency, value: (row) => row.counterCurrency },
    { header: header.counterparty, value: (row) => row.counterpartyName },
    { header: header.note, value: (row) => row.note },
    { header: header.failure, value: (row) => describeCustomerFailure(row, locale)?.message },
    { header: header.id, value: (row) => row.id },
  ];
  return toCsv(columns, rows);
}
