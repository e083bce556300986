import { bigramTokens, bigramWordTokens, containsPattern, normalizeForSearch, queryWords, searchText, searchTokens, wordTokens } from './japanese-text';

describe('Japanese-aware search text', () => {
  it('folds width, case and kana so that the same word typed differently compares equal', () => {
    expect(normalizeForSearch('ＴＡＮＡＫＡ')).toBe('tanaka');
    expect(normalizeForSearch('タナカ')).toBe(normalizeForSearch('たなか'));
    expect(normalizeForSearch('ｻﾄｳ')).toBe('さとう');
    expect(normalizeForSearch('データ 分析')).toBe('でーた分析');
    expect(normalizeForSearch('Type　Script')).toBe('typescript');
  });

  it('indexes every run of up to three characters, so short words inside longer text are found', () => {
    const tokens = searchTokens('人事部長');
    expect(tokens).toEqual(expect.arrayContaining(['人', '事', '部', '長', '人事', '事部', '部長']));
    for (const t of wordTokens(normalizeForSearch('人事'))) expect(tokens).toContain(t);
    for (const t of wordTokens(normalizeForSearch('部長'))) expect(tokens).toContain(t);
  });

  it('does not make pairs across separate fields', () => {
    expect(searchTokens('営業', '部長')).not.toContain('業部');
    expect(searchText('営業', '部長')).not.toContain('業部');
  });

  it('splits the search box into at most five distinct normalised words', () => {
    expect(queryWords(' 人事　ＴｙｐｅＳｃｒｉｐｔ  人事 ')).toEqual(['人事', 'typescript']);
    expect(queryWords('a b c d e f g')).toHaveLength(5);
    expect(queryWords('')).toEqual([]);
  });

  it('asks a word of up to three characters for itself and longer words for their trigrams', () => {
    expect(wordTokens('林')).toEqual(['林']);
    expect(wordTokens('さとう')).toEqual(['さとう']);
    expect(wordTokens('typescript')).toEqual(['typ', 'ype', 'pes', 'esc', 'scr', 'cri', 'rip', 'ipt']);
    expect(searchTokens('さとう健太')).toEqual(expect.arrayContaining(['さとう', 'う健太', '健太']));
  });

  it('escapes LIKE wildcards typed by a person', () => {
    expect(containsPattern('100%_a\\b')).toBe('%100\\%\\_a\\\\b%');
  });
});

describe('bigram keys of long texts', () => {
  it('finds a two-character word inside a sentence, whatever its width or kana', () => {
    const tokens = bigramTokens('来月、東京本社の人事部でＤＸ勉強会をやります');
    expect(tokens).toEqual(expect.arrayContaining(['東京', '人事', 'dx']));
    for (const t of bigramWordTokens(normalizeForSearch('勉強会'))) expect(tokens).toContain(t);
    expect(tokens).not.toContain('東');
  });

  it('does not pair characters across parts', () => {
    expect(bigramTokens('営業', '部長')).not.toContain('業部');
  });

  it('asks a longer word for all its pairs and a two-character word for itself', () => {
    expect(bigramWordTokens('勉強会')).toEqual(['勉強', '強会']);
    expect(bigramWordTokens('人事')).toEqual(['人事']);
    expect(bigramWordTokens('人')).toEqual([]);
  });
});
