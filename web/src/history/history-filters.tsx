import { currencySchema, transactionStatuses, transactionTypes } from '@okpay/contracts';
import { DatePicker, Select } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { HistoryFilters } from '../api/wallet';
import { CurrencySelect } from '../wallet/currency-select';

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** The filters as the page's query string holds them; anything malformed is simply not applied. */
export function filtersFromSearch(search: URLSearchParams): HistoryFilters {
  const pick = <T extends string>(name: string, allowed: readonly T[]) => {
    const value = search.get(name);
    return allowed.includes(value as T) ? (value as T) : undefined;
  };
  const date = (name: string) => {
    const value = search.get(name);
    return value && isoDate.test(value) ? value : undefined;
  };
  return {
    from: date('from'),
    to: date('to'),
    type: pick('type', transactionTypes),
    status: pick('status', transactionStatuses),
    currency: currencySchema.safeParse(search.get('currency')).data,
  };
}

export function searchFromFilters(filters: HistoryFilters): URLSearchParams {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) search.set(name, value);
  return search;
}

/** Date range (China Standard Time days), type, status and currency. */
export function HistoryFiltersBar({ filters, onChange }: { filters: HistoryFilters; onChange: (filters: HistoryFilters) => void }) {
  const { t } = useTranslation();
  return (
    <div className="history-filters">
      <DatePicker.RangePicker
        aria-label={t('history.dateRange')}
        value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
        allowEmpty={[true, true]}
        onChange={(range) =>
          onChange({ ...filters, from: range?.[0]?.format('YYYY-MM-DD') ?? undefined, to: range?.[1]?.format('YYYY-MM-DD') ?? undefined })
        }
        placeholder={[t('history.dateFrom'), t('history.dateTo')]}
        className="history-filter-dates"
      />
      <Select
        allowClear
        aria-label={t('history.type')}
        placeholder={t('history.allTypes')}
        value={filters.type}
        onChange={(type) => onChange({ ...filters, type })}
        options={transactionTypes.map((type) => ({ value: type, label: t(`history.types.${type}`) }))}
        className="history-filter"
      />
      <Select
        allowClear
        aria-label={t('history.status')}
        placeholder={t('history.allStatuses')}
        value={filters.status}
        onChange={(status) => onChange({ ...filters, status })}
        options={transactionStatuses.map((status) => ({ value: status, label: t(`history.statuses.${status}`) }))}
        className="history-filter"
      />
      <CurrencySelect
        allowClear
        aria-label={t('money.currency')}
        placeholder={t('history.allCurrencies')}
        value={filters.currency}
        onChange={(currency) => onChange({ ...filters, currency })}
        className="history-filter"
      />
    </div>
  );
}
