import { findControlCharacters, hasControlCharacters } from './control-characters';

describe('control characters', () => {
  it.each([
    ['NUL', '山\u0000田'],
    ['BEL', 'a\u0007'],
    ['vertical tab', 'a\u000Bb'],
    ['form feed', 'a\u000C'],
    ['escape', '\u001B[31m'],
    ['DEL', 'x\u007F'],
    ['a C1 control (NEL)', 'x\u0085'],
    ['a C1 control (U+009F)', '\u009F'],
    ['a lone high surrogate', 'ab\uD800'],
    ['a lone high surrogate before text', '\uD83Dx'],
    ['a lone low surrogate', '\uDC00z'],
    ['two high surrogates', '\uD83D\uD83D\uDE00'],
  ])('refuses %s', (_, text) => {
    expect(hasControlCharacters(text)).toBe(true);
  });

  it.each([
    ['Japanese', '佐藤 花子（サトウ ハナコ）'],
    ['TAB, LF and CR in a textarea', '一行目\r\n\t二行目\n'],
    ['an emoji (a surrogate pair)', '乾杯🍻😀'],
    ['a variant kanji with its selector', '葛\uDB40\uDD00城'],
    ['an empty string', ''],
    ['no-break space and ideographic space', 'a\u00A0b\u3000c'],
  ])('accepts %s', (_, text) => {
    expect(hasControlCharacters(text)).toBe(false);
  });

  it('names the field, nested fields and array items as validation messages do', () => {
    expect(findControlCharacters({ familyName: '山\u0000田' })).toEqual({ field: 'familyName', inName: false });
    expect(findControlCharacters({ career: [{ department: '営業' }, { department: 'x\u0001' }] })).toEqual({ field: 'career.1.department', inName: false });
    expect(findControlCharacters('\u0000', 'q')).toEqual({ field: 'q', inName: false });
    expect(findControlCharacters({ ['a\u0000']: 'x' })).toEqual({ field: '', inName: true });
    expect(findControlCharacters({ title: '忘年会', capacity: 10, tags: ['a', 'b'], when: null })).toBeUndefined();
  });

  it('checks an uploaded file by its name, not its bytes', () => {
    const file = { fieldname: 'file', originalname: 'roster.csv', buffer: Buffer.from([0, 1, 2]) };
    expect(findControlCharacters(file)).toBeUndefined();
    expect(findControlCharacters({ ...file, originalname: 'ro\u0000ster.csv' })).toEqual({ field: 'file', inName: false });
  });
});
