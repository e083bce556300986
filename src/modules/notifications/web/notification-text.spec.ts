import { MessageCatalog } from '@libs/i18n';
import { notificationText } from './notification-text';

const catalog = new MessageCatalog();
const params = { title: '秋の懇親会 <東京>', startsAt: '2026-12-05T10:00:00.000Z' };

describe('notification text', () => {
  it('renders a reminder in Japanese with the time in Tokyo', () => {
    expect(notificationText(catalog, { kind: 'reminder-24h', params }, 'ja', 'Asia/Tokyo')).toBe('明日開催: 「秋の懇親会 <東京>」は 2026年12月5日(土) 19:00 に始まります。');
  });

  it("renders the same notification in English in the reader's zone", () => {
    expect(notificationText(catalog, { kind: 'reminder-1h', params }, 'en', 'America/New_York')).toBe('In an hour: "秋の懇親会 <東京>" starts Sat, 5 December 2026 05:00.');
  });

  it('names the changed fields in the reader language', () => {
    const n = { kind: 'event-changed', params: { ...params, changed: 'startsAt,place' } };
    expect(notificationText(catalog, n, 'ja', 'Asia/Tokyo')).toBe('「秋の懇親会 <東京>」の開始日時・会場が変更されました。開始: 2026年12月5日(土) 19:00');
    expect(notificationText(catalog, n, 'en', 'Asia/Tokyo')).toBe('"秋の懇親会 <東京>" has changed: start time, place. Starts: Sat, 5 December 2026 19:00');
  });

  it('falls back to the title for a kind it does not know', () => {
    expect(notificationText(catalog, { kind: 'no-such-kind', params }, 'en', 'Asia/Tokyo')).toBe('秋の懇親会 <東京>');
  });
});
