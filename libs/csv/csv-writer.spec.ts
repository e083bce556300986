import { parse } from 'csv-parse/sync';
import { CSV_BOM, neutraliseFormula, toCsvCell, toCsvDocument, toCsvRow } from './csv-writer';

describe('toCsvCell', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ['=1+2', "'=1+2"],
    ['+81-90-1234-5678', "'+81-90-1234-5678"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1+2', "'\t=1+2"],
    ['\r=1+2', `"'\r=1+2"`],
  ])('neutralises a cell that a spreadsheet would evaluate: %j', (input, expected) => {
    expect(toCsvCell(input)).toBe(expected);
  });

  it('leaves text that only contains formula characters later on', () => {
    expect(toCsvCell('山田=太郎')).toBe('山田=太郎');
    expect(toCsvCell('a@example.jp')).toBe('a@example.jp');
    expect(toCsvCell('03-1234-5678')).toBe('03-1234-5678');
  });

  it('quotes commas, double quotes and line breaks (RFC 4180)', () => {
    expect(toCsvCell('営業部, 東京')).toBe('"営業部, 東京"');
    expect(toCsvCell('say "hello"')).toBe('"say ""hello"""');
    expect(toCsvCell('一行目\r\n二行目')).toBe('"一行目\r\n二行目"');
    expect(toCsvCell('a\nb')).toBe('"a\nb"');
    expect(toCsvCell(' padded ')).toBe('" padded "');
  });

  it('writes plain text, numbers and empty values as they are', () => {
    expect(toCsvCell('田中 美咲')).toBe('田中 美咲');
    expect(toCsvCell(2020)).toBe('2020');
    expect(toCsvCell(-3)).toBe('-3');
    expect(toCsvCell(Number.NaN)).toBe('');
    expect(toCsvCell(null)).toBe('');
    expect(toCsvCell(undefined)).toBe('');
    expect(toCsvCell('')).toBe('');
    expect(toCsvCell(true)).toBe('true');
  });

  it('neutraliseFormula touches only the first character', () => {
    expect(neutraliseFormula('-')).toBe("'-");
    expect(neutraliseFormula("'=already")).toBe("'=already");
    expect(neutraliseFormula('ok=')).toBe('ok=');
  });
});

describe('toCsvRow and toCsvDocument', () => {
  it('end rows with CRLF and start the document with a UTF-8 byte order mark', () => {
    expect(toCsvRow(['a', 1, null])).toBe('a,1,\r\n');
    const doc = toCsvDocument(['氏名', 'メモ'], [['田中', 'x']]);
    expect(doc.startsWith(CSV_BOM)).toBe(true);
    expect(Buffer.from(doc, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(doc.slice(1)).toBe('氏名,メモ\r\n田中,x\r\n');
  });

  it('reads back, with a standard parser, to what was written (formula cells keep their quote)', () => {
    const rows = [
      ['佐藤, 花子', 'say "hi"', '複数\r\n行', '=cmd|\' /C calc\'!A0', '', 'plain'],
      ['+1', '-1', '@x', '\tx', 'ｶﾅ', '😀'],
    ];
    const doc = toCsvDocument(['a', 'b', 'c', 'd', 'e', 'f'], rows);
    const parsed = parse(doc.slice(1), { relax_column_count: false }) as string[][];
    expect(parsed).toEqual([
      ['a', 'b', 'c', 'd', 'e', 'f'],
      ['佐藤, 花子', 'say "hi"', '複数\r\n行', "'=cmd|' /C calc'!A0", '', 'plain'],
      ["'+1", "'-1", "'@x", "'\tx", 'ｶﾅ', '😀'],
    ]);
  });
});
