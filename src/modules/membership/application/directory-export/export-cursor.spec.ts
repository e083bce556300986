import { thrownBy } from '@libs/testing';
import { decodeExportCursor, encodeExportCursor } from './export-cursor';

describe('export cursor', () => {
  it('reads back the position it was made from, kana and all', () => {
    const p = { familyNameKana: 'タナカ', givenNameKana: 'ミサキ', memberId: '0b7e5a52-6c1d-4c8e-9a55-2f0f3f8f1a10' };
    const cursor = encodeExportCursor(p);
    expect(cursor).toMatch(/^[\w-]+$/);
    expect(decodeExportCursor(cursor)).toEqual(p);
  });

  it.each(['', 'not-base64!', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('["a","b","not-a-uuid"]').toString('base64url'), Buffer.from('["a",1,"0b7e5a52-6c1d-4c8e-9a55-2f0f3f8f1a10"]').toString('base64url')])(
    'refuses a cursor it did not make: %j',
    (cursor) => {
      expect(thrownBy(() => decodeExportCursor(cursor))).toMatchObject({ code: 'errors.badRequest.message', status: 400 });
    },
  );
});
