import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as iconv from 'iconv-lite';
import {
  parseRoster,
  parseRosterDate,
  isRosterEmail,
  ROSTER_ISSUE_CODES,
  ROSTER_MAX_BYTES,
  ROSTER_MAX_ROWS,
  type RosterColumn,
  type RosterIssue,
  type RosterParseResult,
} from './roster-csv';

const E = 'membership.roster.errors';
const HEADER = 'employee_number,family_name,given_name,email';
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name));
type RosterCatalog = { membership: { roster: { columns: Record<string, string>; errors: Record<string, string> } } };
const catalog = (locale: 'ja' | 'en') => JSON.parse(readFileSync(join(__dirname, 'i18n', `${locale}.json`), 'utf8')) as RosterCatalog;
const ROSTER_MESSAGES = { ja: catalog('ja'), en: catalog('en') };
const utf8 = (lines: string[], eol = '\n') => Buffer.from(lines.join(eol) + eol, 'utf8');
const parseLines = (lines: string[], eol = '\n') => parseRoster(utf8(lines, eol));
const isValidUtf8 = (bytes: Buffer) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};
/** The issues as compact `line:column:code` strings, code without the common prefix. */
const brief = (result: RosterParseResult) =>
  result.issues.map((i) => `${i.line ?? '-'}:${i.column ?? '-'}:${i.code.replace(`${E}.`, '')}`);
const fileLevel = (result: RosterParseResult): RosterIssue => {
  expect(result.rows).toEqual([]);
  expect(result.issues).toHaveLength(1);
  expect(result.issues[0].line).toBeNull();
  expect(result.issues[0].column).toBeNull();
  return result.issues[0];
};

describe('parseRoster', () => {
  describe('encodings and line endings', () => {
    it('reads UTF-8 with a BOM and CRLF line endings, English headers and an ignored extra column', () => {
      const result = parseRoster(fixture('roster-utf8-bom-crlf.csv'));
      expect(result.encoding).toBe('utf-8-bom');
      expect(result.columns).toEqual<RosterColumn[]>([
        'employeeNumber',
        'familyName',
        'givenName',
        'familyNameKana',
        'givenNameKana',
        'email',
        'department',
        'position',
        'hiredOn',
        'leftOn',
      ]);
      expect(result.rows).toEqual([
        {
          line: 2,
          employeeNumber: 'A-100',
          familyName: '田中',
          givenName: '太郎',
          familyNameKana: 'タナカ',
          givenNameKana: 'タロウ',
          email: 'taro.tanaka@example.com',
          department: '営業部',
          position: '部長',
          hiredOn: '2001-04-01',
          leftOn: '2022-03-31',
        },
        {
          line: 3,
          employeeNumber: 'A-101',
          familyName: '中村',
          givenName: '由美',
          familyNameKana: 'なかむら',
          givenNameKana: 'ゆみ',
          email: 'yumi.nakamura@example.com',
          department: null,
          position: null,
          hiredOn: null,
          leftOn: null,
        },
      ]);
      expect(result.issues).toEqual([{ line: 4, column: 'email', code: `${E}.invalidEmail` }]);
    });

    it('reads UTF-8 without a BOM and with LF line endings', () => {
      const result = parseLines([HEADER, 'E1,山田,太郎,taro@example.jp', 'E2,田中,花子,hanako@example.jp']);
      expect(result.encoding).toBe('utf-8');
      expect(result.issues).toEqual([]);
      expect(result.rows.map((r) => [r.line, r.employeeNumber, r.familyName])).toEqual([
        [2, 'E1', '山田'],
        [3, 'E2', '田中'],
      ]);
    });

    it('reads Shift_JIS (CP932) with Japanese headers, CP932-only characters and CRLF', () => {
      const bytes = fixture('roster-cp932-crlf.csv');
      expect(isValidUtf8(bytes)).toBe(false);
      // 髙 (FB FC, IBM extension) and ① (87 40, NEC special) exist only in CP932, not in plain Shift_JIS.
      expect(bytes.includes(Buffer.from([0xfb, 0xfc]))).toBe(true);
      expect(bytes.includes(Buffer.from([0x87, 0x40]))).toBe(true);

      const result = parseRoster(bytes);
      expect(result.encoding).toBe('cp932');
      expect(result.columns).toHaveLength(10);
      expect(result.rows).toEqual([
        {
          line: 2,
          employeeNumber: 'E0001',
          familyName: '髙橋',
          givenName: '一郎',
          familyNameKana: 'たかはし',
          givenNameKana: 'いちろう',
          email: 'ichiro.takahashi@example.co.jp',
          department: '第①営業部', // kept as HR wrote it (search keys fold it)
          position: '課長',
          hiredOn: '2010-04-01',
          leftOn: null,
        },
        {
          line: 3,
          employeeNumber: 'E0002',
          familyName: '山田',
          givenName: '花子',
          familyNameKana: 'ﾔﾏﾀﾞ',
          givenNameKana: 'ﾊﾅｺ',
          email: 'hanako.yamada@example.co.jp',
          department: '人事部, 採用課',
          position: null,
          hiredOn: '2015-04-01',
          leftOn: '2023-03-31',
        },
        {
          line: 4,
          employeeNumber: 'E0003',
          familyName: '佐藤',
          givenName: '健',
          familyNameKana: 'サトウ',
          givenNameKana: 'ケン',
          email: 'ken.sato@example.co.jp',
          department: '開発本部 プラットフォーム課',
          position: '主任',
          hiredOn: '2018-10-01',
          leftOn: null,
        },
      ]);
      // The quoted department of E0003 spans lines 4–5, so E0004 starts on line 6.
      expect(result.issues).toEqual([{ line: 6, column: 'leftOn', code: `${E}.invalidDate`, params: { value: '2024-02-30' } }]);
    });

    it('encodes in-test CP932 text the same way as the fixture', () => {
      const text = `${HEADER}\r\nE1,髙橋,①,taro@example.jp\r\n`;
      const bytes = iconv.encode(text, 'cp932');
      expect(iconv.decode(bytes, 'cp932')).toBe(text);
      const result = parseRoster(bytes);
      expect(result.encoding).toBe('cp932');
      expect(result.rows.map((r) => [r.familyName, r.givenName])).toEqual([['髙橋', '①']]);
    });

    it('treats plain ASCII as UTF-8', () => {
      expect(parseLines([HEADER, 'E1,Yamada,Taro,taro@example.jp']).encoding).toBe('utf-8');
    });

    it('refuses bytes that are neither UTF-8 nor CP932', () => {
      const bytes = Buffer.from(Array.from({ length: 64 }, (_, i) => (i % 2 === 0 ? 0x81 : 0x7f)));
      expect(isValidUtf8(bytes)).toBe(false);
      expect(iconv.decode(bytes, 'cp932')).toContain('\ufffd');
      const result = parseRoster(bytes);
      expect(result.encoding).toBeNull();
      expect(fileLevel(result).code).toBe(`${E}.unknownEncoding`);
    });

    it('refuses a BOM followed by invalid UTF-8, UTF-16 and binary data with NUL bytes', () => {
      const bomThenSjis = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), iconv.encode('社員番号', 'cp932')]);
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${HEADER}\r\n`, 'utf16le')]);
      const utf16WithoutBom = Buffer.from(`${HEADER}\r\n`, 'utf16le');
      for (const bytes of [bomThenSjis, utf16, utf16WithoutBom]) {
        expect(fileLevel(parseRoster(bytes)).code).toBe(`${E}.unknownEncoding`);
      }
    });
  });

  describe('headers', () => {
    it('accepts Japanese headers', () => {
      const result = parseLines(['社員番号,姓,名,メールアドレス,入社日', 'E1,山田,太郎,taro@example.jp,2020/4/1']);
      expect(result.columns).toEqual(['employeeNumber', 'familyName', 'givenName', 'email', 'hiredOn']);
      expect(result.rows[0]).toMatchObject({ employeeNumber: 'E1', email: 'taro@example.jp', hiredOn: '2020-04-01' });
    });

    it('ignores case, surrounding spaces and full-width letters, and keeps the file order', () => {
      const result = parseLines([
        ' ＥＭＡＩＬ ,Given_Name, FAMILY_NAME ,　Employee_Number　,ｾｲ,Family Name Kana 2,退職日',
        'taro@example.jp,太郎,山田,E1,やまだ,x,2024/3/31',
      ]);
      expect(result.columns).toEqual(['email', 'givenName', 'familyName', 'employeeNumber', 'familyNameKana', 'leftOn']);
      expect(result.issues).toEqual([]);
      expect(result.rows).toEqual([
        {
          line: 2,
          employeeNumber: 'E1',
          familyName: '山田',
          givenName: '太郎',
          familyNameKana: 'やまだ',
          givenNameKana: null,
          email: 'taro@example.jp',
          department: null,
          position: null,
          hiredOn: null,
          leftOn: '2024-03-31',
        },
      ]);
    });

    it('ignores extra and unnamed columns', () => {
      const result = parseLines(['備考,employee_number,,family_name,given_name,email,社内ID', 'メモ,E1,?,山田,太郎,taro@example.jp,999']);
      expect(result.columns).toEqual(['employeeNumber', 'familyName', 'givenName', 'email']);
      expect(result.issues).toEqual([]);
      expect(result.rows).toHaveLength(1);
    });

    it('names every missing required column in English and Japanese', () => {
      const result = parseLines(['姓,名,部署', '山田,太郎,営業部']);
      const issue = fileLevel(result);
      expect(issue.code).toBe(`${E}.missingColumns`);
      expect(issue.params).toEqual({ columns: 'employee_number (社員番号), email (メールアドレス)' });
      expect(result.columns).toEqual(['familyName', 'givenName', 'department']);
    });

    it('reports a file whose first line is data instead of headers as missing all required columns', () => {
      const issue = fileLevel(parseLines(['E1,山田,太郎,taro@example.jp']));
      expect(issue.code).toBe(`${E}.missingColumns`);
      expect(String(issue.params?.columns).split(', ')).toHaveLength(4);
    });

    it('refuses a column given twice', () => {
      const issue = fileLevel(parseLines(['employee_number,family_name,given_name,email,メールアドレス', 'E1,山田,太郎,a@example.jp,b@example.jp']));
      expect(issue).toEqual({ line: null, column: null, code: `${E}.duplicateColumns`, params: { columns: 'email (メールアドレス)' } });
    });
  });

  describe('CSV structure and line numbers', () => {
    it('keeps quoted commas and newlines in values and counts physical lines for the following rows', () => {
      const result = parseLines(
        [
          'employee_number,family_name,given_name,email,department',
          'E1,山田,太郎,taro@example.jp,"営業部, 東京"',
          'E2,田中,花子,hanako@example.jp,"開発本部',
          '',
          'プラットフォーム課"',
          'E3,佐藤,健,bad-address,総務部',
          '"E4","鈴木","美咲","misaki@example.jp","""特命"" 担当"',
        ],
        '\r\n',
      );
      expect(result.rows.map((r) => [r.line, r.employeeNumber, r.department])).toEqual([
        [2, 'E1', '営業部, 東京'],
        [3, 'E2', '開発本部 プラットフォーム課'],
        [7, 'E4', '"特命" 担当'],
      ]);
      expect(brief(result)).toEqual(['6:email:invalidEmail']);
    });

    it('gives the starting line of a row whose first field spans several lines, with LF inside CRLF records', () => {
      const text = `${HEADER}\r\n"E1",山田,太郎,taro@example.jp\r\nE2,"田中\n\n",花子,bad\r\nE3,佐藤,健,ken@example.jp`;
      const result = parseRoster(Buffer.from(text, 'utf8'));
      expect(brief(result)).toEqual(['3:email:invalidEmail']);
      expect(result.rows.map((r) => r.line)).toEqual([2, 6]);
    });

    it('skips blank lines and rows of empty cells but keeps counting them', () => {
      const result = parseLines(['', HEADER, '', 'E1,山田,太郎,taro@example.jp', ',,,', ' , 　, ,', '', 'E2,田中,花子,not-valid']);
      expect(result.rows.map((r) => r.line)).toEqual([4]);
      expect(brief(result)).toEqual(['8:email:invalidEmail']);
    });

    it('accepts rows with fewer or more fields than the header', () => {
      const result = parseLines(['employee_number,family_name,given_name,email,department', 'E1,山田,太郎,taro@example.jp', 'E2,田中,花子,hanako@example.jp,人事部,extra,extra']);
      expect(result.issues).toEqual([]);
      expect(result.rows.map((r) => r.department)).toEqual([null, '人事部']);
    });

    it('reports an unclosed quotation mark with the line where the broken row starts', () => {
      const result = parseLines([HEADER, 'E1,山田,太郎,taro@example.jp', '', 'E2,"田中,花子,hanako@example.jp', 'E3,佐藤,健,ken@example.jp']);
      expect(fileLevel(result)).toEqual({ line: null, column: null, code: `${E}.malformedCsv`, params: { line: 4 } });
      expect(result.encoding).toBe('utf-8');
    });

    it('tolerates stray quotation marks inside unquoted values', () => {
      const result = parseLines([HEADER, 'E1,山"田,太郎,taro@example.jp']);
      expect(result.issues).toEqual([]);
      expect(result.rows[0].familyName).toBe('山"田');
    });

    it('reports a file without data rows as empty', () => {
      for (const bytes of [Buffer.alloc(0), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\r\n\r\n'), utf8([HEADER]), utf8([HEADER, ',,,', ''])]) {
        expect(fileLevel(parseRoster(bytes)).code).toBe(`${E}.empty`);
      }
      expect(parseRoster(utf8([HEADER])).columns).toEqual(['employeeNumber', 'familyName', 'givenName', 'email']);
    });
  });

  describe('values', () => {
    it('keeps the characters of names and texts as written; trims, and turns line breaks into one space', () => {
      const result = parseLines([
        'employee_number,family_name,given_name,email,department,position',
        ' ＥＭＰ－００１ ,　山田　,ﾀﾛｳ, Taro.Yamada@EXAMPLE.JP ,"営業部  \n 第１課",ｼﾆｱ  ﾏﾈｰｼﾞｬｰ',
      ]);
      expect(result.issues).toEqual([]);
      expect(result.rows[0]).toMatchObject({
        // identifiers and addresses are read width-folded
        employeeNumber: 'EMP-001',
        email: 'taro.yamada@example.jp',
        familyName: '山田',
        givenName: 'ﾀﾛｳ',
        department: '営業部 第１課',
        position: 'ｼﾆｱ  ﾏﾈｰｼﾞｬｰ',
      });
    });

    it('keeps ①, ㈱, Ⅱ, half-width kana and hiragana readings exactly', () => {
      const result = parseLines([
        '社員番号,姓,名,セイ,メイ,メールアドレス,部署,役職',
        'E1,髙橋,一郎,ささき,ｶﾌﾞｼｷｶﾞｲｼｬ,a@example.jp,㈱キズナ 第Ⅱ営業部,①担当',
      ]);
      expect(result.rows[0]).toMatchObject({
        familyName: '髙橋',
        familyNameKana: 'ささき',
        givenNameKana: 'ｶﾌﾞｼｷｶﾞｲｼｬ',
        department: '㈱キズナ 第Ⅱ営業部',
        position: '①担当',
      });
    });

    it('keeps leading zeros, including Excel\'s ="00123" form', () => {
      const result = parseLines([HEADER, '00123,山田,太郎,a@example.jp', '="00456",田中,花子,b@example.jp']);
      expect(result.rows.map((r) => r.employeeNumber)).toEqual(['00123', '00456']);
    });

    it('reads dates in the accepted forms and returns empty ones as null', () => {
      const forms = ['2024-04-01', '2024/4/1', '2024/04/01', '２０２４／０４／０１', '２０２４－４－１', '2024.4.1', '2024年4月1日', ' 2024/4/1 '];
      const result = parseLines(['employee_number,family_name,given_name,email,hired_on,left_on', ...forms.map((d, i) => `E${i},山田,太郎,t${i}@example.jp,${d},`)]);
      expect(result.issues).toEqual([]);
      expect(result.rows.map((r) => r.hiredOn)).toEqual(forms.map(() => '2024-04-01'));
      expect(result.rows.map((r) => r.leftOn)).toEqual(forms.map(() => null));
    });

    it('knows the calendar', () => {
      expect(parseRosterDate('2024-02-29')).toBe('2024-02-29');
      expect(parseRosterDate('2000-02-29')).toBe('2000-02-29');
      expect(parseRosterDate('2023-12-31')).toBe('2023-12-31');
      for (const impossible of ['2023-02-29', '1900-02-29', '2023-02-30', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '2024-01-32']) {
        expect(parseRosterDate(impossible)).toBeNull();
      }
      for (const malformed of ['2024-4/1', '24/4/1', '2024/04', '2024-04-01T00:00', 'R6/4/1', '令和6年4月1日', '0024-04-01', '2024-004-01', 'today']) {
        expect(parseRosterDate(malformed)).toBeNull();
      }
    });

    it('checks e-mail addresses simply', () => {
      for (const good of ['a@example.jp', 'taro.yamada+hr@mail.example.co.jp', "o'brien@example.com", 'taro..yamada.@docomo.ne.jp', 'x@xn--wgv71a.jp', 'a_b-c@sub-domain.example.org']) {
        expect(isRosterEmail(good)).toBe(true);
      }
      for (const bad of ['', 'plain', '@example.jp', 'a@', 'a@b', 'a@@example.jp', 'a@b@example.jp', 'a b@example.jp', 'a@example..jp', 'a@-example.jp', 'a@example.j', 'a@example.123', 'a@例え.jp', `${'a'.repeat(65)}@example.jp`, 'a@example.jp.']) {
        expect(isRosterEmail(bad)).toBe(false);
      }
    });

    it('counts length in characters, not UTF-16 units', () => {
      const name = '𠮷'.repeat(50);
      const result = parseLines([HEADER, `E1,${name},太郎,a@example.jp`, `E2,${name}𠮷,太郎,b@example.jp`]);
      expect(result.rows.map((r) => r.employeeNumber)).toEqual(['E1']);
      expect(brief(result)).toEqual(['3:familyName:tooLong']);
    });
  });

  describe('row errors', () => {
    const header = 'employee_number,family_name,given_name,family_name_kana,given_name_kana,email,department,position,hired_on,left_on';

    it('refuses cells with control characters (the rule every form field follows), naming line and column', () => {
      const result = parseLines([
        header,
        'E01,山\u001b田,太郎,,,ok1@example.jp,,,,',
        'E02,山田,太郎,,,ok2@example.jp,営業\u007f部,,,',
        'E03,山田,太郎,,,ok3@example.jp,,課長\u0085,,',
        'E04,山田,太郎,,,ok4@example.jp,,,2024/4/1\u0007,',
        'E05,山田,太郎,,,ok5@example.jp,"営業\t部",,,', // a TAB is whitespace, like a line break inside a value
      ]);
      expect(brief(result)).toEqual(['2:familyName:controlCharacters', '3:department:controlCharacters', '4:position:controlCharacters', '5:hiredOn:controlCharacters']);
      expect(result.rows.map((r) => [r.employeeNumber, r.department])).toEqual([['E05', '営業 部']]);
    });

    it('reports every kind of row error with its line and column, and leaves those rows out', () => {
      const long = (n: number) => 'あ'.repeat(n);
      const result = parseLines([
        header,
        'E01,山田,太郎,ヤマダ,タロウ,ok1@example.jp,営業部,課長,2020/4/1,', // valid
        ',,,,,,,,,x', // required ×4 (the row is not blank)
        `${'A'.repeat(51)},${long(51)},${long(51)},${long(51)},${long(51)},${'a'.repeat(60)}@${'b'.repeat(190)}.example.jp,${long(101)},${long(101)},,`,
        'E 04,山田,太郎,,,ok4@example.jp,,,,', // invalidEmployeeNumber
        'E05,山田,太郎,,,not-an-email,,,,', // invalidEmail
        'E06,山田,太郎,,,ok6@example.jp,,,2023-02-30,2024/13/1', // invalidDate ×2
        'E07,山田,太郎,,,ok7@example.jp,,,2024/4/1,2024/3/31', // leftBeforeHired
        'E01,山田,太郎,,,ok8@example.jp,,,,', // duplicateEmployeeNumber
        'E09,山田,太郎,,,OK1@Example.JP,,,,', // duplicateEmail
        'E10,山田,太郎,,,ok10@example.jp,,,2024/4/1,2024/4/1', // same day is fine
        ' ,山田, ,,,,,,,', // required ×3 with some values present
      ]);
      expect(brief(result)).toEqual([
        '3:employeeNumber:required',
        '3:familyName:required',
        '3:givenName:required',
        '3:email:required',
        '3:leftOn:invalidDate',
        '4:employeeNumber:tooLong',
        '4:familyName:tooLong',
        '4:givenName:tooLong',
        '4:familyNameKana:tooLong',
        '4:givenNameKana:tooLong',
        '4:email:tooLong',
        '4:department:tooLong',
        '4:position:tooLong',
        '5:employeeNumber:invalidEmployeeNumber',
        '6:email:invalidEmail',
        '7:hiredOn:invalidDate',
        '7:leftOn:invalidDate',
        '8:leftOn:leftBeforeHired',
        '9:employeeNumber:duplicateEmployeeNumber',
        '10:email:duplicateEmail',
        '12:employeeNumber:required',
        '12:givenName:required',
        '12:email:required',
      ]);
      expect(result.rows.map((r) => r.line)).toEqual([2, 11]);

      const byKey = new Map(result.issues.map((i) => [`${i.line}:${i.column}`, i.params]));
      expect(byKey.get('3:leftOn')).toEqual({ value: 'x' });
      expect(byKey.get('4:employeeNumber')).toEqual({ max: 50 });
      expect(byKey.get('4:familyName')).toEqual({ max: 50 });
      expect(byKey.get('4:department')).toEqual({ max: 100 });
      expect(byKey.get('4:position')).toEqual({ max: 100 });
      expect(byKey.get('4:email')).toEqual({ max: 254 });
      expect(byKey.get('7:hiredOn')).toEqual({ value: '2023-02-30' });
      expect(byKey.get('7:leftOn')).toEqual({ value: '2024/13/1' });
      expect(byKey.get('9:employeeNumber')).toEqual({ firstLine: 2 });
      expect(byKey.get('10:email')).toEqual({ firstLine: 2 });
      expect(byKey.get('3:employeeNumber')).toBeUndefined();
    });

    it('accepts values exactly at the length limits', () => {
      const result = parseLines([header, `${'A'.repeat(50)},${'姓'.repeat(50)},${'名'.repeat(50)},${'セ'.repeat(50)},${'メ'.repeat(50)},a@example.jp,${'部'.repeat(100)},${'役'.repeat(100)},,`]);
      expect(result.issues).toEqual([]);
      expect(result.rows).toHaveLength(1);
    });

    it('flags every later duplicate with the line of the first, even across multi-line rows', () => {
      const result = parseLines([
        'employee_number,family_name,given_name,email,department',
        'E1,山田,太郎,taro@example.jp,"複数行の\n部署"',
        'E2,田中,花子,hanako@example.jp,',
        'E1,佐藤,健,ken@example.jp,',
        'E3,鈴木,美咲,TARO@example.jp,',
        'E1,高橋,一郎,taro@EXAMPLE.jp,',
      ]);
      expect(result.issues).toEqual([
        { line: 5, column: 'employeeNumber', code: `${E}.duplicateEmployeeNumber`, params: { firstLine: 2 } },
        { line: 6, column: 'email', code: `${E}.duplicateEmail`, params: { firstLine: 2 } },
        { line: 7, column: 'employeeNumber', code: `${E}.duplicateEmployeeNumber`, params: { firstLine: 2 } },
        { line: 7, column: 'email', code: `${E}.duplicateEmail`, params: { firstLine: 2 } },
      ]);
      expect(result.rows.map((r) => r.employeeNumber)).toEqual(['E1', 'E2']);
    });

    it('counts a duplicate against the first occurrence even if that row has other errors', () => {
      const result = parseLines([HEADER, 'E1,,太郎,taro@example.jp', 'E1,山田,太郎,other@example.jp']);
      expect(brief(result)).toEqual(['2:familyName:required', '3:employeeNumber:duplicateEmployeeNumber']);
      expect(result.rows).toEqual([]);
    });
  });

  describe('limits', () => {
    it('refuses a file over 10 MB before looking at its content', () => {
      const result = parseRoster(Buffer.alloc(ROSTER_MAX_BYTES + 1, 0x61));
      expect(ROSTER_MAX_BYTES).toBe(10 * 1024 * 1024);
      expect(fileLevel(result)).toEqual({ line: null, column: null, code: `${E}.tooLarge`, params: { mb: 10 } });
      expect(result.encoding).toBeNull();
    });

    it('accepts a file of exactly 10 MB', () => {
      const head = `${HEADER},note\nE1,山田,太郎,taro@example.jp,`;
      const bytes = Buffer.alloc(ROSTER_MAX_BYTES, 0x78);
      bytes.write(head, 0, 'utf8');
      const result = parseRoster(bytes);
      expect(result.issues).toEqual([]);
      expect(result.rows).toHaveLength(1);
    });

    it('refuses more than 100,000 data rows', () => {
      const bytes = Buffer.from(`${HEADER}\n${'E1,山田,太郎,taro@example.jp\n'.repeat(ROSTER_MAX_ROWS + 1)}`, 'utf8');
      const result = parseRoster(bytes);
      expect(fileLevel(result)).toEqual({ line: null, column: null, code: `${E}.tooManyRows`, params: { max: 100_000 } });
    });

    it('accepts exactly 100,000 data rows, not counting blank ones', () => {
      const lines = Array.from({ length: ROSTER_MAX_ROWS }, (_, i) => `E${i},山田,太郎,t${i}@example.jp`);
      const result = parseLines([HEADER, ...lines, '', ',,,']);
      expect(result.issues).toEqual([]);
      expect(result.rows).toHaveLength(ROSTER_MAX_ROWS);
    });

    it('parses 10,000 valid rows', () => {
      const count = 10_000;
      const lines = Array.from(
        { length: count },
        (_, i) => `K${String(i).padStart(6, '0')},山田${i},太郎,やまだ,たろう,Taro.${i}@Example.co.jp,"営業部, 第${i % 7}課",主任,2010/4/${(i % 28) + 1},`,
      );
      const result = parseRoster(Buffer.from(`\ufeff${['社員番号,姓,名,セイ,メイ,メールアドレス,部署,役職,入社日,退職日', ...lines].join('\r\n')}\r\n`, 'utf8'));
      expect(result.encoding).toBe('utf-8-bom');
      expect(result.issues).toEqual([]);
      expect(result.rows).toHaveLength(count);
      expect(result.rows.every((row, i) => row.line === i + 2 && row.employeeNumber === `K${String(i).padStart(6, '0')}`)).toBe(true);
      expect(result.rows[9_999]).toEqual({
        line: 10_001,
        employeeNumber: 'K009999',
        familyName: '山田9999',
        givenName: '太郎',
        familyNameKana: 'やまだ',
        givenNameKana: 'たろう',
        email: 'taro.9999@example.co.jp',
        department: '営業部, 第3課',
        position: '主任',
        hiredOn: '2010-04-04',
        leftOn: null,
      });
    });
  });

  it('never throws, whatever the bytes', () => {
    let seed = 20240401;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = [...'",\r\n =ａあ髙@.-/0123456789E'];
    for (let n = 0; n < 300; n++) {
      const length = Math.floor(random() * 200);
      const text = HEADER + '\n' + Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const bytes = n % 3 === 0 ? Buffer.from(Array.from({ length }, () => Math.floor(random() * 256))) : Buffer.from(text, n % 3 === 1 ? 'utf8' : 'latin1');
      expect(() => parseRoster(bytes)).not.toThrow();
    }
  });
});

describe('roster messages (i18n/ja.json, i18n/en.json)', () => {
  const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  const codes = Object.values(ROSTER_ISSUE_CODES).map((code) => code.replace(`${E}.`, ''));
  const params: Record<string, string[]> = {
    tooLarge: ['mb'],
    tooManyRows: ['max'],
    malformedCsv: ['line'],
    missingColumns: ['columns'],
    duplicateColumns: ['columns'],
    tooLong: ['max'],
    invalidDate: ['value'],
    duplicateEmployeeNumber: ['firstLine'],
    duplicateEmail: ['firstLine'],
    emailLinkedElsewhere: ['employeeNumber'],
  };

  it('has a Japanese and an English text for exactly the issue codes', () => {
    expect(Object.keys(ROSTER_MESSAGES.ja.membership.roster.errors).sort()).toEqual([...codes].sort());
    expect(Object.keys(ROSTER_MESSAGES.en.membership.roster.errors).sort()).toEqual([...codes].sort());
    expect(Object.values(ROSTER_ISSUE_CODES).every((code) => code.startsWith(`${E}.`))).toBe(true);
  });

  it('uses exactly the params of each issue as placeholders in both languages', () => {
    for (const code of codes) {
      const ja = ROSTER_MESSAGES.ja.membership.roster.errors[code];
      const en = ROSTER_MESSAGES.en.membership.roster.errors[code];
      expect({ code, ja: placeholders(ja), en: placeholders(en) }).toEqual({ code, ja: params[code] ?? [], en: params[code] ?? [] });
      expect(ja.trim()).not.toBe('');
      expect(en.trim()).not.toBe('');
    }
  });

  it('names every column in both languages', () => {
    const columns = ['employeeNumber', 'familyName', 'givenName', 'familyNameKana', 'givenNameKana', 'email', 'department', 'position', 'hiredOn', 'leftOn'];
    expect(Object.keys(ROSTER_MESSAGES.ja.membership.roster.columns)).toEqual(columns);
    expect(Object.keys(ROSTER_MESSAGES.en.membership.roster.columns)).toEqual(columns);
  });
});
