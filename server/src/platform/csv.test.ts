import { describe, expect, it } from 'vitest';
import { numberCell, textCell, toCsv } from './csv.js';

describe('CSV exports', () => {
  it.each([
    ['=1+1', `"'=1+1"`],
    ['+1', `"'+1"`],
    ["-1+cmd|' /C calc'!A0", `"'-1+cmd|' /C calc'!A0"`],
    ['@SUM(A1:A9)', `"'@SUM(A1:A9)"`],
    ['\t=1+1', `"'\t=1+1"`],
    ['\r=1+1', `"'\r=1+1"`],
    ['=HYPERLINK("http://evil.example","点我")', `"'=HYPERLINK(""http://evil.example"",""点我"")"`],
    ['-5', `"'-5"`],
  ])('neutralises a text cell starting a formula: %j', (value, cell) => {
    expect(textCell(value)).toBe(cell);
  });

  it.each([
    ['王小明', '"王小明"'],
    ['a, b', '"a, b"'],
    ['two\nlines', '"two\nlines"'],
    ['1+1=2', '"1+1=2"'],
    ['', '""'],
  ])('leaves ordinary text as it is, quoted: %j', (value, cell) => {
    expect(textCell(value)).toBe(cell);
  });

  it('keeps amounts plain numbers, negative ones included, and refuses anything else in a number column', () => {
    expect(numberCell('-12.50')).toBe('-12.50');
    expect(numberCell('700')).toBe('700');
    expect(() => numberCell('=1+1')).toThrow();
    expect(() => numberCell('1,000.00')).toThrow();
  });

  it('writes a BOM, a header row and CRLF lines', () => {
    const csv = toCsv(
      [
        { header: '备注', value: (row: { note: string; amount: string }) => row.note },
        { header: '金额', kind: 'number', value: (row) => row.amount },
      ],
      [
        { note: '+1', amount: '-1.00' },
        { note: '午饭', amount: '' },
      ],
    );
    expect(csv).toBe(`\ufeff"备注","金额"\r\n"'+1",-1.00\r\n"午饭",\r\n`);
  });
});
