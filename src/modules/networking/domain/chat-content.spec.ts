import { CONVERSATION_NAME_MAX, MESSAGE_MAX } from '../contracts';
import { cleanChannelInput, cleanGroupInput, cleanMessageBody, cleanReason, messageExcerpt, messageMentionHandles, messageSearchKeys, renderMessage } from './chat-content';

describe('message bodies', () => {
  it('are cleaned like forum posts and must hold something', () => {
    expect(cleanMessageBody('\n\n  こんにちは\r\n二行目  \n\n')).toBe('  こんにちは\n二行目');
    expect(() => cleanMessageBody('   \n ')).toThrow(expect.objectContaining({ code: 'networking.chat.errors.bodyRequired', field: 'body' }));
    expect(() => cleanMessageBody(undefined as never)).toThrow(expect.objectContaining({ code: 'networking.chat.errors.bodyRequired' }));
  });

  it('count code points against MESSAGE_MAX and say the limit', () => {
    expect(cleanMessageBody('𠮷'.repeat(MESSAGE_MAX))).toHaveLength(MESSAGE_MAX * 2);
    expect(() => cleanMessageBody('あ'.repeat(MESSAGE_MAX + 1))).toThrow(expect.objectContaining({ code: 'networking.chat.errors.tooLong', params: { max: MESSAGE_MAX } }));
  });
});

describe('rendering', () => {
  it('escapes everything, keeps line breaks and links http(s) addresses as ugc', () => {
    const html = renderMessage('<script>alert(1)</script>\n資料は https://example.jp/a?b=1&c=2を見てください。\njavascript:alert(1) <a href="x">a</a>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;<br />');
    expect(html).toContain('<a href="https://example.jp/a?b=1&amp;c=2" rel="nofollow ugc noopener" target="_blank">https://example.jp/a?b=1&amp;c=2</a>を見てください。');
    expect(html).not.toMatch(/<script|href="javascript|<a href="x"/);
  });

  it('ends a link before trailing punctuation and unopened brackets', () => {
    expect(renderMessage('(see https://example.jp/x).')).toContain('href="https://example.jp/x"');
    expect(renderMessage('https://ja.wikipedia.org/wiki/Foo_(bar)')).toContain('href="https://ja.wikipedia.org/wiki/Foo_(bar)"');
  });

  it('links resolved mentions to the profile and leaves others as text', () => {
    const id = '3f0a7c2e-8a4b-4c1d-9e2f-1a2b3c4d5e6f';
    const html = renderMessage('@山田太郎 さん、@佐藤 さんにも', new Map([['山田太郎', id]]));
    expect(html).toBe(`<a class="mention" href="/members/${id}">@山田太郎</a> さん、@佐藤 さんにも`);
    expect(messageMentionHandles('@山田太郎 と @佐藤、mail@example.jp https://x.jp/@foo')).toEqual(['山田太郎', '佐藤']);
  });
});

describe('search keys and excerpts', () => {
  it('index bigrams of the folded text', () => {
    const keys = messageSearchKeys('来週、東京オフィスで会いましょう');
    expect(keys.tokens).toEqual(expect.arrayContaining(['東京', 'おふ']));
    expect(keys.text).toContain('東京おふぃす');
  });

  it('make one line of at most the given length', () => {
    expect(messageExcerpt('一行目\n二行目', 20)).toBe('一行目 二行目');
    expect(messageExcerpt('あ'.repeat(30), 10)).toBe(`${'あ'.repeat(9)}…`);
  });
});

describe('names and reasons', () => {
  it('require the Japanese name of a channel and a known audience', () => {
    const input = { nameJa: '  雑談  ', nameEn: 'General', descriptionJa: '', descriptionEn: '', audience: 'members' as const };
    expect(cleanChannelInput(input).nameJa).toBe('雑談');
    expect(() => cleanChannelInput({ ...input, nameJa: ' ' })).toThrow(expect.objectContaining({ field: 'nameJa' }));
    expect(() => cleanChannelInput({ ...input, audience: 'public' as never })).toThrow(expect.objectContaining({ field: 'audience' }));
    expect(() => cleanChannelInput({ ...input, nameEn: 'x'.repeat(CONVERSATION_NAME_MAX + 1) })).toThrow(expect.objectContaining({ field: 'nameEn', params: { max: CONVERSATION_NAME_MAX } }));
  });

  it('require a group name; listed only when said so', () => {
    expect(cleanGroupInput({ name: '2015年入社同期', description: '', listed: 'yes' as never })).toEqual({ name: '2015年入社同期', description: '', listed: false });
    expect(() => cleanGroupInput({ name: '', description: '', listed: true })).toThrow(expect.objectContaining({ code: 'networking.chat.errors.nameRequired' }));
    expect(() => cleanReason('  ', 500)).toThrow(expect.objectContaining({ code: 'networking.chat.errors.reasonRequired' }));
  });
});
