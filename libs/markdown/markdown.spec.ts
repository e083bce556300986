import { renderMarkdown, SafeHtml } from './markdown';

describe('event descriptions (Markdown, sanitised)', () => {
  it('renders the usual Markdown', () => {
    const html = renderMarkdown('# 概要\n\n**懇親会**と*交流*\n\n- 受付\n- 乾杯');
    expect(html).toContain('<h2>概要</h2>');
    expect(html).toContain('<strong>懇親会</strong>');
    expect(html).toContain('<em>交流</em>');
    expect(html).toContain('<li>受付</li>');
  });

  it('never lets a script or raw HTML through', () => {
    const html = renderMarkdown('こんにちは<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src="https://evil.example"></iframe>');
    expect(html).not.toMatch(/<(script|img|iframe)/i);
    expect(html).not.toMatch(/<[^>]*onerror/i);
    expect(html).toContain('&lt;script&gt;');
  });

  it('drops javascript: and data: links but keeps their text', () => {
    const html = renderMarkdown('[押してね](javascript:alert(1)) と [こちら](data:text/html;base64,PHNjcmlwdD4=) と <a href="javascript:alert(2)">x</a>');
    // What is left of them is text: no element carries such a link.
    expect(html).not.toMatch(/<a [^>]*href="(javascript|data):/i);
    expect(html).not.toMatch(/<a\b/i);
    expect(html).toContain('押してね');
  });

  it('gives links rel="nofollow noopener"', () => {
    const html = renderMarkdown('[会場](https://example.jp/map) https://example.jp/auto');
    expect(html).toContain('<a href="https://example.jp/map" rel="nofollow noopener" target="_blank">会場</a>');
    expect(html).toContain('href="https://example.jp/auto"');
    expect(html.match(/rel="nofollow noopener"/g)).toHaveLength(2);
  });

  it('gives links in members\' own text rel="nofollow ugc noopener"', () => {
    const html = renderMarkdown('[資料](https://example.jp/slides) https://example.jp/auto', { userContent: true });
    expect(html).toContain('<a href="https://example.jp/slides" rel="nofollow ugc noopener" target="_blank">資料</a>');
    expect(html.match(/rel="nofollow ugc noopener"/g)).toHaveLength(2);
    expect(html).not.toContain('rel="nofollow noopener"');
  });

  it.each([
    ['<script>alert(1)</script>'],
    ['<img src=x onerror="alert(1)">'],
    ['[x](javascript:alert(1))'],
    ['<a href="javascript:alert(1)">x</a>'],
    ['[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'],
  ])('renders members\' hostile text inert: %s', (source) => {
    const html = renderMarkdown(source, { userContent: true });
    // Raw HTML comes out as escaped text; no real element runs anything or links to a script or data URL.
    expect(html).not.toMatch(/<(script|img|svg|iframe)\b/i);
    expect(html).not.toMatch(/<[a-z][^>]*\son\w+\s*=/i);
    expect(html).not.toMatch(/<a\b[^>]*href="\s*(javascript|data):/i);
  });

  it('keeps only images whose path the caller allows, lazily loaded, and never a script in their attributes', () => {
    const own = /\/content\/images\/[0-9a-f]{32}\/(?:960|full)/;
    const id = 'a'.repeat(32);
    const html = renderMarkdown(`![会場の様子](/content/images/${id}/960)\n\n![x](https://evil.example/t.png) ![y](/content/images/${id}/960?x=1) ![z](javascript:alert(1))`, { userContent: true, imageSrc: own });
    expect(html).toContain(`<img src="/content/images/${id}/960" alt="会場の様子" loading="lazy" decoding="async" />`);
    expect(html).not.toContain('evil.example');
    expect(html).not.toContain('?x=1');
    expect(html).not.toMatch(/src="(?!\/content)/);
    expect(html.match(/<img/g)).toHaveLength(1);
    expect(renderMarkdown(`![a](/content/images/${id}/960)`)).not.toContain('<img');
    expect(renderMarkdown(`<img src="/content/images/${id}/960" onerror="alert(1)">`, { imageSrc: own })).not.toContain('<img');
  });

  it('renders nothing for an empty description', () => {
    expect(renderMarkdown('')).toBe('');
    expect(renderMarkdown(null)).toBe('');
  });

  it('wraps HTML for the view engine without escaping it again', () => {
    expect(new SafeHtml('<p>x</p>').toHTML()).toBe('<p>x</p>');
  });
});
