import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { testViewer } from '@libs/testing';
import type { Viewer } from '@libs/security/access-policy';
import { RecordAuditEventCommand, SearchAuditLogQuery, type AuditEventView, type AuditLogPage } from '@modules/privacy/contracts';
import { AuditEvent } from '@modules/privacy/domain/audit-event.entity';
import { PrivacyModule } from '@modules/privacy/privacy.module';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';

const admin: Viewer = { ...testViewer('employee', 'admin', randomUUID()), displayName: '人事 花子' };
const operator: Viewer = { ...testViewer('alumni', 'operator', randomUUID()), displayName: '運営 太郎' };
const SUBJECT = { id: randomUUID(), name: '田中 美咲' };
const OTHER_SUBJECT = { id: randomUUID(), name: '佐藤 健' };

/** Stores an event as it happened at `at` (the log's own command always stamps "now"). */
async function eventAt(em: EntityManager, at: string, overrides: Partial<ConstructorParameters<typeof AuditEvent>[0]> = {}): Promise<AuditEvent> {
  const e = AuditEvent.record({ actorId: admin.memberId, actorName: admin.displayName, action: 'profile.restricted-viewed', subjectId: SUBJECT.id, subjectName: SUBJECT.name, fields: ['contactEmail'], ...overrides });
  e.occurredAt = new Date(at);
  await em.insert(e);
  return e;
}

describe('the audit log (Privacy, real PostgreSQL)', () => {
  let h: ModuleHarness;

  beforeAll(async () => {
    h = await bootModules([PrivacyModule]);
  });
  beforeEach(() => resetDatabase(h.em));
  afterAll(() => h.close());

  const stored = () => h.fresh((em) => em.find(AuditEvent, {}, { orderBy: { occurredAt: 'asc' } }));
  const search = (q: SearchAuditLogQuery): Promise<AuditLogPage> => h.query(q);
  const names = (items: AuditEventView[]) => items.map((i) => i.detail.n);

  describe('RecordAuditEventCommand', () => {
    it('stores one event with the actor name as it is now, the subject, fields, detail and request id', async () => {
      const { auditEventId } = await h.command(
        new RecordAuditEventCommand(admin, 'profile.restricted-viewed', { subject: SUBJECT, fields: ['contactEmail', 'birthDate'], detail: { page: 'profile' }, requestId: 'req-42' }),
      );
      const [event] = await stored();
      expect(event).toMatchObject({
        id: auditEventId,
        actorId: admin.memberId,
        actorName: '人事 花子',
        action: 'profile.restricted-viewed',
        subjectId: SUBJECT.id,
        subjectName: '田中 美咲',
        fields: ['contactEmail', 'birthDate'],
        detail: { page: 'profile' },
        requestId: 'req-42',
      });
      expect(Math.abs(event.occurredAt.getTime() - Date.now())).toBeLessThan(60_000);
    });

    it('records an export of many members without a subject', async () => {
      await h.command(new RecordAuditEventCommand(admin, 'directory.exported', { fields: ['accountEmail'], detail: { filters: { status: 'alumni' }, rows: 3 } }));
      const [event] = await stored();
      expect(event).toMatchObject({ action: 'directory.exported', detail: { filters: { status: 'alumni' }, rows: 3 } });
      expect(event.subjectId ?? null).toBeNull();
    });

    it('refuses an unknown action and stores nothing', async () => {
      await expect(h.command(new RecordAuditEventCommand(admin, 'profile.edited' as never))).rejects.toMatchObject({ code: 'validation.isIn' });
      expect(await stored()).toEqual([]);
    });

    it('is part of the caller\'s transaction: rolled back with it', async () => {
      const commands = h.app.get(CommandBus);
      await expect(
        h.em.fork().transactional(async () => {
          await commands.execute(new RecordAuditEventCommand(admin, 'account.deleted', { subject: SUBJECT }));
          expect(await stored()).toHaveLength(0); // not visible to others before the commit
          throw new Error('the deletion failed');
        }),
      ).rejects.toThrow('the deletion failed');
      expect(await stored()).toHaveLength(0);
      await h.em.fork().transactional(() => commands.execute(new RecordAuditEventCommand(admin, 'account.deleted', { subject: SUBJECT })));
      expect(await stored()).toHaveLength(1);
    });
  });

  describe('SearchAuditLogQuery', () => {
    it('is for admins only', async () => {
      await expect(search(new SearchAuditLogQuery(operator))).rejects.toMatchObject({ status: 403 });
      await expect(search(new SearchAuditLogQuery(testViewer('employee')))).rejects.toMatchObject({ status: 403 });
    });

    it('lists the newest first, with everything the page shows', async () => {
      await h.fresh(async (em) => {
        await eventAt(em, '2026-11-01T00:00:00Z', { detail: { n: 'first' } });
        await eventAt(em, '2026-11-03T00:00:00Z', { detail: { n: 'third' } });
        await eventAt(em, '2026-11-02T00:00:00Z', { detail: { n: 'second' } });
      });
      const page = await search(new SearchAuditLogQuery(admin));
      expect(names(page.items)).toEqual(['third', 'second', 'first']);
      expect(page.items[0]).toMatchObject({ actorName: '人事 花子', subjectName: '田中 美咲', fields: ['contactEmail'], occurredAt: new Date('2026-11-03T00:00:00Z') });
      expect(page).toMatchObject({ older: null, newer: null });
    });

    it('filters by action, by actor and subject (member id or part of the name), and combines filters', async () => {
      await h.fresh(async (em) => {
        await eventAt(em, '2026-11-01T01:00:00Z', { detail: { n: 'admin views tanaka' } });
        await eventAt(em, '2026-11-01T02:00:00Z', { actorId: operator.memberId, actorName: operator.displayName, subjectId: OTHER_SUBJECT.id, subjectName: OTHER_SUBJECT.name, detail: { n: 'operator views sato' } });
        await eventAt(em, '2026-11-01T03:00:00Z', { action: 'directory.exported', subjectId: undefined, subjectName: undefined, detail: { n: 'admin exports' } });
      });
      const q = (filter: ConstructorParameters<typeof SearchAuditLogQuery>[1]) => search(new SearchAuditLogQuery(admin, filter)).then((p) => names(p.items));
      expect(await q({ action: 'directory.exported' })).toEqual(['admin exports']);
      expect(await q({ actor: operator.memberId })).toEqual(['operator views sato']);
      expect(await q({ actor: '運営' })).toEqual(['operator views sato']);
      expect(await q({ actor: '人事花子' })).toEqual(['admin exports', 'admin views tanaka']);
      expect(await q({ subject: OTHER_SUBJECT.id.toUpperCase() })).toEqual(['operator views sato']);
      expect(await q({ subject: 'みさき' })).toEqual([]);
      expect(await q({ subject: '田中' })).toEqual(['admin views tanaka']);
      expect(await q({ actor: '人事', action: 'profile.restricted-viewed' })).toEqual(['admin views tanaka']);
      expect(await q({ actor: '100%' })).toEqual([]);
    });

    it('takes days in the viewer\'s time zone, both ends included', async () => {
      await h.fresh(async (em) => {
        await eventAt(em, '2026-10-31T14:59:59Z', { detail: { n: 'Oct 31, 23:59 in Tokyo' } });
        await eventAt(em, '2026-10-31T15:00:00Z', { detail: { n: 'Nov 1, 00:00 in Tokyo' } });
        await eventAt(em, '2026-11-02T14:59:59Z', { detail: { n: 'Nov 2, 23:59 in Tokyo' } });
        await eventAt(em, '2026-11-02T15:00:00Z', { detail: { n: 'Nov 3, 00:00 in Tokyo' } });
      });
      const q = (filter: ConstructorParameters<typeof SearchAuditLogQuery>[1]) => search(new SearchAuditLogQuery(admin, filter)).then((p) => names(p.items));
      expect(await q({ from: '2026-11-01', to: '2026-11-02' })).toEqual(['Nov 2, 23:59 in Tokyo', 'Nov 1, 00:00 in Tokyo']);
      expect(await q({ from: '2026-11-03' })).toEqual(['Nov 3, 00:00 in Tokyo']);
      expect(await q({ to: '2026-10-31' })).toEqual(['Oct 31, 23:59 in Tokyo']);
      // The same day in UTC is a different slice of time.
      expect(await q({ from: '2026-11-02', to: '2026-11-02', timeZone: 'UTC' })).toEqual(['Nov 3, 00:00 in Tokyo', 'Nov 2, 23:59 in Tokyo']);
    });

    it('names the filter that cannot be used', async () => {
      await expect(search(new SearchAuditLogQuery(admin, { from: '2026-02-30' }))).rejects.toMatchObject({ code: 'validation.isDateString', field: 'from' });
      await expect(search(new SearchAuditLogQuery(admin, { from: '2026-11-02', to: '2026-11-01' }))).rejects.toMatchObject({ code: 'validation.dateRange', field: 'to' });
    });

    it('pages by cursor through every event exactly once, older and back to newer, even with events at the same instant', async () => {
      await h.fresh(async (em) => {
        for (let i = 0; i < 23; i++) {
          // Pairs of events share a timestamp, so the order relies on the id as well.
          await eventAt(em, new Date(Date.UTC(2026, 10, 1, 0, Math.floor(i / 2))).toISOString(), { detail: { n: i } });
        }
      });
      const pages: AuditEventView[][] = [];
      let page = await search(new SearchAuditLogQuery(admin, {}, {}, 10));
      expect(page.newer).toBeNull();
      pages.push(page.items);
      while (page.older) {
        page = await search(new SearchAuditLogQuery(admin, {}, { before: page.older }, 10));
        pages.push(page.items);
      }
      expect(pages.map((p) => p.length)).toEqual([10, 10, 3]);
      const walked = pages.flat();
      expect(new Set(walked.map((e) => e.id)).size).toBe(23);
      const order = walked.map((e) => [e.occurredAt.getTime(), e.id] as const);
      for (let i = 1; i < order.length; i++) {
        const [t0, id0] = order[i - 1];
        const [t1, id1] = order[i];
        expect(t0 > t1 || (t0 === t1 && id0 > id1)).toBe(true);
      }

      // Back towards the newest: the same pages, in the same order within each page.
      const back = await search(new SearchAuditLogQuery(admin, {}, { after: page.newer! }, 10));
      expect(back.items.map((e) => e.id)).toEqual(pages[1].map((e) => e.id));
      const first = await search(new SearchAuditLogQuery(admin, {}, { after: back.newer! }, 10));
      expect(first.items.map((e) => e.id)).toEqual(pages[0].map((e) => e.id));
      expect(first.newer).toBeNull();
      expect(first.older).toBe(pages[0].at(-1)!.id);
    });

    it('pages within a filter', async () => {
      await h.fresh(async (em) => {
        for (let i = 0; i < 6; i++) await eventAt(em, new Date(Date.UTC(2026, 10, 1, i)).toISOString(), { action: i % 2 ? 'directory.exported' : 'profile.restricted-viewed', detail: { n: i } });
      });
      const one = await search(new SearchAuditLogQuery(admin, { action: 'directory.exported' }, {}, 2));
      expect(names(one.items)).toEqual([5, 3]);
      const two = await search(new SearchAuditLogQuery(admin, { action: 'directory.exported' }, { before: one.older! }, 2));
      expect(names(two.items)).toEqual([1]);
      expect(two.older).toBeNull();
    });
  });
});
