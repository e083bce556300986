import { safeRedirectPath } from './safe-redirect';

describe('safeRedirectPath', () => {
  it.each(['/', '/account', '/members?q=%E4%BA%BA%E4%BA%8B&page=2', '/profile/edit#basic', '/events/abc/calendar.ics', '/a%20b'])('keeps the site path %s', (path) => {
    expect(safeRedirectPath(path)).toBe(path);
  });

  it.each([
    '//evil.example/x',
    '/\\evil.example/x',
    '\\/evil.example/x',
    '\\\\evil.example',
    '/a\\b',
    'http://evil.example/',
    'https:evil.example',
    'javascript:alert(1)',
    'evil.example',
    '',
    '/\t/evil.example',
    '/\n/evil.example',
    '/%2F/evil.example',
    '/%2fevil.example',
    '/%5Cevil.example',
    '/%5cevil.example',
    '/%09/evil.example',
    '/%0d%0aSet-Cookie:x=1',
    '/%E0%A4%A',
    '/\u0000',
    '/\u0085x',
  ])('refuses %j', (path) => {
    expect(safeRedirectPath(path)).toBe('/');
    expect(safeRedirectPath(path, '/login')).toBe('/login');
  });

  it('refuses what is not a string', () => {
    expect(safeRedirectPath(undefined)).toBe('/');
    expect(safeRedirectPath(['/a'])).toBe('/');
  });
});
