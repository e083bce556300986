import { arrayLiteral } from './array-literal';

describe('arrayLiteral', () => {
  it('quotes every element, escaping quotes and backslashes', () => {
    expect(arrayLiteral([])).toBe('{}');
    expect(arrayLiteral(['東京', 'a"b', 'c\\d', 'x,y', '{z}'])).toBe('{"東京","a\\"b","c\\\\d","x,y","{z}"}');
  });
});
