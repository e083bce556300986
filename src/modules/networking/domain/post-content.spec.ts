import { mentionHandles, plainText, postSearchKeys, renderPost, snippetAround } from './post-content';

describe('post content', () => {
  it('finds @names outside code, each once', () => {
    expect(mentionHandles('@山田太郎 さん、@ヤマダ と @山田太郎。`@code` メール a@b.jp')).toEqual(['山田太郎', 'ヤマダ']);
    expect(mentionHandles('```\n@inside\n```\n@outside')).toEqual(['outside']);
  });

  it('links resolved mentions to the profile and leaves unknown ones as text', () => {
    const html = renderPost('こんにちは @山田太郎 と @誰か', new Map([['山田太郎', '11111111-1111-4111-8111-111111111111']]));
    expect(html).toContain('<a class="mention" href="/members/11111111-1111-4111-8111-111111111111">@山田太郎</a>');
    expect(html).toContain('@誰か');
    expect(html).not.toContain('href="/members/undefined"');
  });

  it('does not link a mention inside code', () => {
    const html = renderPost('`@山田太郎`', new Map([['山田太郎', 'x']]));
    expect(html).not.toContain('class="mention"');
  });

  it('renders hostile input inert', () => {
    for (const attack of ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '[x](javascript:alert(1))', '[x](data:text/html;base64,PHNjcmlwdD4=)', '<a href="javascript:alert(1)">x</a>']) {
      const html = renderPost(attack, new Map([['x', 'y']]));
      expect(html).not.toMatch(/<script|<img|<[^>]*\son\w+=|<a[^>]*href="(javascript|data):/i);
    }
  });

  it('marks members\' links ugc', () => {
    expect(renderPost('https://example.jp')).toContain('rel="nofollow ugc noopener"');
  });

  it('indexes title and body by folded bigrams', () => {
    const keys = postSearchKeys('東京本社の人事部です', 'ＤＸ勉強会');
    expect(keys.tokens).toEqual(expect.arrayContaining(['東京', '人事', 'dx', '勉強']));
    expect(keys.text).toContain('dx勉強会');
  });

  it('makes plain text and a snippet around the match', () => {
    expect(plainText('**太字** と [リンク](https://x.jp)\n\n> 引用')).toBe('太字 と リンク 引用');
    const long = 'あ'.repeat(200) + '人事' + 'い'.repeat(200);
    const s = snippetAround(long, ['人事'], 60);
    expect(s).toContain('人事');
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
  });
});
