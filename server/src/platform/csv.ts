/**
 * CSV exports that are safe to open in Excel, WPS or LibreOffice. Every export (statements,
 * reports) writes through here, so no cell can run as a formula (OWASP CSV injection).
 */

/** A column: text cells are neutralised and quoted; number cells must be plain numbers and stay numbers. */
export type CsvColumn<Row> = { header: string; kind?: 'text' | 'number'; value: (row: Row) => string | null | undefined };

// A spreadsheet treats a cell starting with one of these as a formula (or, for tab and CR, strips
// them and then does): = + - @ tab CR, per OWASP.
const formulaStart = /^[=+\-@\t\r]/;
const plainNumber = /^-?\d+(?:\.\d+)?$/;

/** A text cell, quoted; one that could start a formula gets a leading apostrophe, shown as text. */
export function textCell(value: string): string {
  const safe = formulaStart.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** A number cell, unquoted so spreadsheets sum it; anything but a plain decimal is a programming error. */
export function numberCell(value: string): string {
  if (!plainNumber.test(value)) throw new Error(`CSV number column given ${JSON.stringify(value)}`);
  return value;
}

/** The whole file: a BOM (so Excel reads UTF-8 Chinese), a header row and CRLF line ends (RFC 4180). */
export function toCsv<Row>(columns: ReadonlyArray<CsvColumn<Row>>, rows: readonly Row[]): string {
  const header = columns.map((column) => textCell(column.header)).join(',');
  const lines = rows.map((row) =>
    columns
      .map((column) => {
        const value = column.value(row) ?? '';
        if (column.kind === 'number') return value === '' ? '' : numberCell(value);
        return textCell(value);
      })
      .join(','),
  );
  return `\ufeff${[header, ...lines].join('\r\n')}\r\n`;
}
