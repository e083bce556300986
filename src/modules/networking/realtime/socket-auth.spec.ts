import { unsignSessionCookie } from './socket-auth';

const SECRET = 'development-only-session-secret-change-me-please';
// cookie-signature's sign('Xk2_sid-123', SECRET), as express-session writes it after `s:`.
const SIGNED = 's:Xk2_sid-123.XLQ9IMcCVSlJNgySc4QS3QsZp5w2u7QejrUTq3BFHCA';

describe('unsignSessionCookie', () => {
  it("reads the session id from express-session's signed cookie value", () => {
    expect(unsignSessionCookie(SIGNED, SECRET)).toBe('Xk2_sid-123');
  });

  it('refuses another secret, a changed id or signature, an unsigned value and nothing', () => {
    expect(unsignSessionCookie(SIGNED, `${SECRET}-other`)).toBeNull();
    expect(unsignSessionCookie(SIGNED.replace('Xk2', 'Xk3'), SECRET)).toBeNull();
    expect(unsignSessionCookie(SIGNED.slice(0, -1), SECRET)).toBeNull();
    expect(unsignSessionCookie(SIGNED.slice(2), SECRET)).toBeNull();
    expect(unsignSessionCookie('s:.abc', SECRET)).toBeNull();
    expect(unsignSessionCookie('s:nodot', SECRET)).toBeNull();
    expect(unsignSessionCookie(undefined, SECRET)).toBeNull();
  });
});
