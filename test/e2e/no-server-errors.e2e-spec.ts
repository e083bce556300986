import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { RequestMethod, type Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getMetadataStorage } from 'class-validator';
import { ACCESS_KEY } from '@libs/security/access.decorator';
import { MailMessage } from '@libs/mail/mail-message.entity';
import { Registration } from '@modules/events/domain/registration.entity';
import { Event } from '@modules/events/domain/event.entity';
import { buildEvent } from '../factories/event.factory';
import { buildMember } from '../factories/member.factory';
import { browser, csrfToken, signIn, submit, type Agent } from '../support/http';
import { bootWebApp, resetDatabase } from '../support/test-app';

/**
 * Fuzz: every route the application registers (read from the router, as the authorisation matrix does — a new
 * module's routes are covered without editing this file) gets malformed input in every field its request classes
 * declare (read from class-validator's metadata), in its path parameters, as JSON, as a form and as multipart.
 * Whatever it is, the answer is below 500.
 */

// Nest's metadata keys and parameter kinds (@nestjs/common/constants, route-paramtypes.enum).
const PATH = 'path';
const METHOD = 'method';
const ROUTE_ARGS = '__routeArguments__';
const BODY = 3;
const QUERY = 4;

const LONG = 'あ'.repeat(34_000); // about 100 kB as UTF-8, under the 200 kB body limit

/** Values a person (or a script) could send instead of what a field expects. */
const BAD_VALUES: { name: string; value: unknown; json?: true }[] = [
  { name: 'NUL', value: '山\u0000田' },
  { name: 'C0, DEL and C1 controls', value: '\u0001\u001b\u007f\u0085' },
  { name: 'a lone surrogate', value: 'ab\ud800', json: true },
  { name: '100 kB', value: LONG },
  { name: 'an impossible date', value: '2026-02-30T25:61' },
  { name: 'a five-digit year', value: '99999-01-01' },
  { name: 'a huge number', value: '1e309' },
  { name: 'a negative number', value: '-99999999999999999999' },
  { name: 'not a UUID', value: 'not-a-uuid' },
  { name: 'a list', value: ['a', 'b'] },
  { name: 'an object', value: { a: 'b' } },
  { name: 'a number (JSON)', value: 12, json: true },
  { name: 'null (JSON)', value: null, json: true },
];

/** Malformed path parameters (already encoded for the URL). */
const BAD_PARAMS = ['x', '%00', '%ED%A0%80', '%C0%AF', 'a'.repeat(300), '00000000-0000-0000-0000-000000000000', randomUUID().toUpperCase(), '%2F..%2F', '%5C'];

/** Malformed query strings for routes that declare no query class. */
const BAD_QUERIES = ['q=%00', 'page=%00', 'page=-1', 'page=1e309', 'q[]=a&q[]=b', 'q[a]=b', 'q=%ED%A0%80', 'q=%FF', `q=${'x'.repeat(8000)}`, 'from=2026-02-30&to=9999-99-99'];

/** Plausible values for fields, so that one bad field at a time gets past the others' rules. */
const SAMPLES: Record<string, string> = {
  familyName: '試験',
  givenName: '太郎',
  familyNameKana: 'シケン',
  givenNameKana: 'タロウ',
  password: 'wrong-Pass-2026',
  currentPassword: 'wrong-Pass-2026',
  newPassword: 'another-Pass-2026',
  appliedAs: 'alumni',
  joinedYear: '2010',
  leftYear: '2018',
  title: '忘年会',
  category: 'party',
  format: 'onsite',
  visibility: 'members',
  timeZone: 'Asia/Tokyo',
  startsAt: '2030-05-01T18:00',
  endsAt: '2030-05-01T20:00',
  place: '本社',
  feeYen: '0',
  capacity: '10',
  maxCompanions: '0',
  organiserName: '運営事務局',
  locale: 'ja',
  status: 'alumni',
  reason: '確認のため',
  next: '/',
};

interface Handler {
  access?: string;
  body?: Type;
  query?: Type;
}

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
}

/** The request classes of every controller method, by "METHOD /path" as the router lists it. */
function handlersByRoute(app: NestExpressApplication): Map<string, Handler> {
  const out = new Map<string, Handler>();
  const join = (...parts: string[]) => ('/' + parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')).replace(/\/+/g, '/');
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const prefixes = [Reflect.getMetadata(PATH, controller) ?? ''].flat() as string[];
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const fn = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof fn !== 'function' || Reflect.getMetadata(PATH, fn) === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD, fn) as RequestMethod];
        const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, name) ?? []) as Type[];
        const args = (Reflect.getMetadata(ROUTE_ARGS, controller, name) ?? {}) as Record<string, { index: number; data?: unknown }>;
        const handler: Handler = { access: Reflect.getMetadata(ACCESS_KEY, fn) as string | undefined };
        for (const [key, arg] of Object.entries(args)) {
          const kind = Number(key.split(':')[0]);
          const type = types[arg.index];
          if (arg.data !== undefined || !type || type === Object) continue;
          if (kind === BODY) handler.body = type;
          if (kind === QUERY) handler.query = type;
        }
        for (const prefix of prefixes) for (const path of [Reflect.getMetadata(PATH, fn)].flat() as string[]) out.set(`${method} ${join(prefix, path)}`, handler);
      }
    }
  }
  return out;
}

/** The fields a request class declares, with a plausible value for each. */
function fieldsOf(type: Type | undefined): Record<string, string> {
  if (!type) return {};
  const out: Record<string, string> = {};
  for (const meta of getMetadataStorage().getTargetValidationMetadatas(type, '', true, false)) {
    const field = meta.propertyName;
    if (SAMPLES[field] !== undefined) out[field] = SAMPLES[field];
    else if (meta.name === 'isIn' && Array.isArray(meta.constraints?.[0])) out[field] = String((meta.constraints[0] as unknown[])[0]);
    else if (meta.name === 'isEmail') out[field] = `fuzz-${randomUUID().slice(0, 8)}@example.jp`;
    else if (meta.name === 'isUuid') out[field] = randomUUID();
    else if (meta.name === 'isInt' || meta.name === 'min' || meta.name === 'max') out[field] = '1';
    else if (meta.name === 'isDateString') out[field] = '2030-01-01';
    else out[field] ??= 'テスト';
  }
  return out;
}

describe('no input reaches a 500 (every registered route × malformed values)', () => {
  let app: NestExpressApplication;
  let em: EntityManager;
  let ipSeq = 0;
  let routes: Route[];
  let handlers: Map<string, Handler>;
  const ids: Record<string, string> = {};
  const previousTrustProxy = process.env.TRUST_PROXY;
  const failures: string[] = [];
  let sent = 0;

  const agent = (): Agent => {
    ipSeq += 1;
    return browser(app).set('X-Forwarded-For', `10.17.${(ipSeq >> 8) & 255}.${ipSeq & 255}`);
  };

  /** A freshly signed-in HR admin (every route's own session: a route may sign its caller out or end sessions). */
  async function adminAgent(): Promise<{ a: Agent; token: string }> {
    const admin = await buildMember(em.fork(), { status: 'employee', role: 'admin' });
    const a = agent();
    await signIn(a, admin.email, admin.password);
    return { a, token: await csrfToken(a, '/account') };
  }

  async function anonymousAgent(): Promise<{ a: Agent; token: string }> {
    const a = agent();
    return { a, token: await csrfToken(a, '/login') };
  }

  /** A real id for a path parameter where one is known (so the route's deeper code runs), else a random UUID. */
  function realParam(path: string, name: string): string {
    if (name === 'registrationId') return ids.registration;
    if (name === 'token') return 'x';
    const prefixes: [string, string][] = [
      ['/admin/applications/', ids.applicant],
      ['/admin/roster-imports/', ids.rosterImport],
      ['/admin/events/', ids.event],
      ['/events/', ids.event],
      ['/dev/mail/', ids.mail],
      ['/', ids.member],
    ];
    return prefixes.find(([prefix]) => path.startsWith(prefix))?.[1] ?? randomUUID();
  }

  const withParams = (path: string, value: (name: string) => string) => path.replace(/:(\w+)/g, (_, name: string) => value(name));

  function check(label: string, status: number): void {
    sent += 1;
    if (status >= 500) failures.push(`${status} ${label}`);
  }

  async function send(a: Agent, token: string, route: Route, path: string, body: unknown, as: 'json' | 'form' = 'json') {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete' | 'patch';
    let req = a[method](path).set('X-CSRF-Token', token);
    if (route.method === 'GET') return req;
    req = as === 'json' ? req.set('Content-Type', 'application/json') : req.type('form');
    return req.send(as === 'json' ? JSON.stringify(body) : (body as Record<string, string>));
  }

  beforeAll(async () => {
    process.env.TRUST_PROXY = 'true';
    app = await bootWebApp();
    em = app.get(EntityManager);
    await resetDatabase(em);

    const router = (app.getHttpAdapter().getInstance() as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router;
    routes = router.stack
      .filter((layer) => layer.route && !layer.route.path.startsWith('/api/docs') && !layer.route.path.includes('*'))
      .flatMap((layer) => Object.keys(layer.route!.methods).map((m) => ({ method: m.toUpperCase() as Route['method'], path: layer.route!.path })));
    // The queue dashboard is a router of its own (bull-board): its JSON API, by hand.
    routes.push({ method: 'GET', path: '/admin/queues/api/queues' }, { method: 'PUT', path: '/admin/queues/api/queues/:queueName/pause' }, { method: 'GET', path: '/admin/queues/api/queues/:queueName/:jobId' });
    handlers = handlersByRoute(app);

    const { a } = await adminAgent();
    ids.member = (await buildMember(em.fork(), { status: 'alumni' })).member.id;
    ids.applicant = (await buildMember(em.fork(), { status: 'pending' })).member.id;
    const event = await buildEvent(em.fork(), { capacity: 5 });
    ids.event = event.id;
    ids.registration = await em.fork().transactional(async (tx) => {
      const [{ seq }] = await tx.execute<{ seq: string }[]>(`select nextval('events.registration_seq')::text as seq`);
      const registration = new Registration(event.id, ids.member, 'confirmed', 0, seq);
      (await tx.findOneOrFail(Event, { id: event.id })).confirmedSeats += registration.seats;
      tx.persist(registration);
      return registration.id;
    });
    const upload = await a
      .post(`/admin/roster-imports?_csrf=${encodeURIComponent(await csrfToken(a, '/admin/roster-imports'))}`)
      .attach('file', Buffer.from('社員番号,姓,名,メールアドレス\nF1,名簿,太郎,fuzz-roster@example.jp\n'), { filename: 'roster.csv', contentType: 'text/csv' });
    ids.rosterImport = /\/admin\/roster-imports\/([0-9a-f-]{36})$/.exec(upload.headers.location ?? '')?.[1] ?? randomUUID();
    await submit(a, '/admin/invitations', { email: 'fuzz-invited@example.jp', status: 'alumni', locale: 'ja' }, '/admin/invitations');
    ids.mail = (await em.fork().findOneOrFail(MailMessage, { to: 'fuzz-invited@example.jp' })).id;
  }, 60_000);

  beforeEach(() => {
    failures.length = 0;
  });

  afterAll(async () => {
    await app?.close();
    if (previousTrustProxy === undefined) delete process.env.TRUST_PROXY;
    else process.env.TRUST_PROXY = previousTrustProxy;
  });

  it('finds the routes and what they take', () => {
    expect(routes.length).toBeGreaterThan(60);
    const withBody = routes.filter((r) => handlers.get(`${r.method} ${r.path}`)?.body);
    expect(withBody.map((r) => r.path)).toEqual(expect.arrayContaining(['/apply', '/profile/basic', '/admin/events', '/admin/invitations']));
    expect(handlers.get('GET /members')?.query).toBeDefined();
  });

  it('answers malformed path parameters and query strings below 500', async () => {
    for (const route of routes) {
      const handler = handlers.get(`${route.method} ${route.path}`);
      const viewers = handler?.access === 'public' ? [await adminAgent(), await anonymousAgent()] : [await adminAgent()];
      for (const { a, token } of viewers) {
        for (const bad of BAD_PARAMS) {
          if (!route.path.includes(':')) break;
          const path = withParams(route.path, () => bad);
          check(`${route.method} ${path}`, (await send(a, token, route, path, {})).status);
        }
        const base = withParams(route.path, (name) => realParam(route.path, name));
        const queryFields = Object.keys(fieldsOf(handler?.query));
        const queries = queryFields.length
          ? queryFields.flatMap((f) => [`${f}=%00`, `${f}=%ED%A0%80`, `${f}=%01%7F%C2%85`, `${f}[]=a&${f}[]=b`, `${f}[x]=y`, `${f}=${'x'.repeat(8000)}`, `${f}=2026-02-30`, `${f}=1e309`])
          : BAD_QUERIES;
        for (const query of queries) check(`${route.method} ${base}?${query.slice(0, 60)}`, (await send(a, token, route, `${base}?${query}`, {})).status);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it('answers malformed form fields and JSON bodies below 500, one field at a time', async () => {
    for (const route of routes.filter((r) => r.method !== 'GET')) {
      const handler = handlers.get(`${route.method} ${route.path}`);
      const fields = fieldsOf(handler?.body);
      const names = Object.keys(fields).length ? Object.keys(fields) : ['unexpected'];
      const viewers = handler?.access === 'public' ? [await adminAgent(), await anonymousAgent()] : [await adminAgent()];
      const path = withParams(route.path, (name) => realParam(route.path, name));
      for (const { a, token } of viewers) {
        for (const field of names) {
          for (const bad of BAD_VALUES) {
            const body = { ...fields, [field]: bad.value };
            check(`${route.method} ${path} ${field}=${bad.name} (JSON)`, (await send(a, token, route, path, body, 'json')).status);
            if (!bad.json) check(`${route.method} ${path} ${field}=${bad.name} (form)`, (await send(a, token, route, path, body, 'form')).status);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it('answers malformed multipart forms below 500 (a control character in a field, in a file name, a file of nothing)', async () => {
    for (const route of routes.filter((r) => r.method === 'POST')) {
      const { a, token } = await adminAgent();
      const path = `${withParams(route.path, (name) => realParam(route.path, name))}?_csrf=${encodeURIComponent(token)}`;
      const fields = Object.keys(fieldsOf(handlers.get(`${route.method} ${route.path}`)?.body));
      const field = fields[0] ?? 'unexpected';
      for (const name of ['photo', 'file']) {
        check(`${route.method} ${route.path} multipart ${field}=NUL`, (await a.post(path).field(field, 'a\u0000b').attach(name, Buffer.from('x'), { filename: 'x.csv', contentType: 'text/csv' })).status);
        check(`${route.method} ${route.path} multipart file name with NUL`, (await a.post(path).attach(name, Buffer.from('社員番号,姓,名,メールアドレス\n'), { filename: 'ro\u0000ster.csv', contentType: 'text/csv' })).status);
        check(`${route.method} ${route.path} multipart empty file`, (await a.post(path).attach(name, Buffer.alloc(0), { filename: 'empty.png', contentType: 'image/png' })).status);
      }
    }
    expect(failures).toEqual([]);
    // The fuzz really ran: hundreds of requests over every route.
    expect(sent).toBeGreaterThan(2000);
  }, 600_000);
});
