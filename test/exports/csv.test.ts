// The CSV writer's rules, cell by cell: RFC 4180 quoting and formula neutralisation.
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../server/exports/csv.ts';

describe('csvCell', () => {
  it('quotes fields holding a quote, comma, CR or LF, doubling quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it('prefixes an apostrophe to text a spreadsheet would run as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t']) expect(csvCell(`${start}X`)).toBe(`'${start}X`);
    expect(csvCell('\rX')).toBe(`"'\rX"`); // Neutralised, then quoted for the CR.
    expect(csvCell('=SUM(A1,"x")')).toBe(`"'=SUM(A1,""x"")"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes numbers as they are and missing values as empty', () => {
    expect(csvCell(42)).toBe('42');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('')).toBe('');
  });
});

describe('toCsv', () => {
  it('starts with a BOM and ends every row with CRLF', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          [1, 'x'],
          [null, 'y,z'],
        ],
      ),
    ).toBe('\uFEFFa,b\r\n1,x\r\n,"y,z"\r\n');
  });
});
