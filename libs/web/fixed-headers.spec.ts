import helmet from 'helmet';
import type { NextFunction, Request, Response } from 'express';
import { fixedHeaders } from './web-platform';

describe('fixedHeaders', () => {
  it("holds exactly what helmet sets on an answer, computed once", () => {
    const middleware = helmet({ contentSecurityPolicy: { useDefaults: true, directives: { 'script-src': ["'self'"], 'upgrade-insecure-requests': null } }, strictTransportSecurity: false });
    const headers = fixedHeaders(middleware);
    const set = new Map<string, string>();
    middleware(
      { headers: {}, method: 'GET', url: '/' } as Request,
      { setHeader: (n: string, v: unknown) => set.set(n, String(v)), removeHeader: (n: string) => set.delete(n) } as unknown as Response,
      (() => undefined) as NextFunction,
    );
    expect(headers).toEqual(set);
    expect(headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    expect(headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(headers.has('Strict-Transport-Security')).toBe(false);
  });

  it('refuses a policy that depends on the request, or that does not finish at once', () => {
    expect(() => fixedHeaders((req, res, next) => {
      res.setHeader('X-Path', req.path);
      next();
    })).toThrow(/depends on the request \(path\)/);
    expect(() => fixedHeaders(() => undefined)).toThrow(/did not finish/);
  });
});
