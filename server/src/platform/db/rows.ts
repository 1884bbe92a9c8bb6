import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

const columnsByTable = new WeakMap<PgTable, Array<[string, PgColumn]>>();

function columnsOf(table: PgTable): Array<[string, PgColumn]> {
  let columns = columnsByTable.get(table);
  if (!columns) {
    columns = Object.entries(getTableColumns(table));
    columnsByTable.set(table, columns);
  }
  return columns;
}

/**
 * A row of `table` read by raw SQL (`SELECT *`, `RETURNING *`, or `to_jsonb(row)`), as the same
 * schema-inferred type Drizzle's own queries return: column names to property names, bigints and
 * timestamps through the column's own mapping. Hot paths keep their prepared statements and still
 * hand out one row type per table.
 */
export function rowFrom<T extends PgTable>(table: T, raw: Record<string, unknown>): T['$inferSelect'] {
  const row: Record<string, unknown> = {};
  for (const [property, column] of columnsOf(table)) {
    if (!(column.name in raw)) throw new Error(`a ${getTableName(table)} row needs column ${column.name}`);
    const value = raw[column.name];
    row[property] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T['$inferSelect'];
}
