import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QueueModule } from '@libs/queue/queue.module';
import { MembershipModule } from '@modules/membership/membership.module';
import { PRIVACY_QUEUES } from '@modules/privacy/contracts';
import { DataExport } from '@modules/privacy/domain/data-export.entity';
import { PRIVACY_MAINTENANCE_SCHEDULER, PrivacyMaintenanceProcessor } from '@modules/privacy/jobs/privacy-maintenance.processor';
import { PrivacyWorkerModule } from '@modules/privacy/jobs/privacy-worker.module';
import { buildMember } from '../../factories/member.factory';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';

const DAY = 24 * 3600_000;

/** Expired exports are erased even when their delayed erasure job was lost (Redis keeps nothing on disk). */
describe('privacy upkeep: expired data exports (PostgreSQL and Redis)', () => {
  let h: ModuleHarness;
  let upkeep: PrivacyMaintenanceProcessor;
  let queue: Queue;

  beforeAll(async () => {
    h = await bootModules([MembershipModule, QueueModule, PrivacyWorkerModule]);
    upkeep = h.app.get(PrivacyMaintenanceProcessor);
    queue = h.app.get<Queue>(getQueueToken(PRIVACY_QUEUES.maintenance));
  });
  beforeEach(async () => {
    await queue.obliterate({ force: true });
    await resetDatabase(h.em);
  });
  afterAll(() => h.close());

  const row = (id: string) =>
    h.fresh(async (em) => (await em.execute<{ state: string; content: unknown }[]>('select state, content from privacy.data_export where id = ?', [id]))[0]);

  it('erases every export past its expiry, closes those stuck in preparation, and leaves the rest; running again changes nothing', async () => {
    const member = await buildMember(h.em.fork());
    const ids = await h.fresh(async (em) => {
      const expired = new DataExport(member.member.id);
      expired.markReady({ name: '試験 太郎' }, 20, new Date(Date.now() - 8 * DAY));
      const current = new DataExport(member.member.id);
      current.markReady({ name: '試験 太郎' }, 20, new Date(Date.now() - DAY));
      const stuck = new DataExport(member.member.id);
      stuck.requestedAt = new Date(Date.now() - 2 * 3600_000);
      const fresh = new DataExport(member.member.id);
      await em.persist([expired, current, stuck, fresh]).flush();
      return { expired: expired.id, current: current.id, stuck: stuck.id, fresh: fresh.id };
    });

    expect(await upkeep.eraseExpired()).toBe(2);
    expect(await row(ids.expired)).toEqual({ state: 'expired', content: null });
    expect(await row(ids.current)).toEqual({ state: 'ready', content: { name: '試験 太郎' } });
    expect(await row(ids.stuck)).toEqual({ state: 'failed', content: null });
    expect(await row(ids.fresh)).toEqual({ state: 'requested', content: null });
    expect(await upkeep.eraseExpired()).toBe(0);
  });

  it('registers itself to run every hour when the worker starts, and runs once at once', async () => {
    const member = await buildMember(h.em.fork());
    const expired = await h.fresh(async (em) => {
      const e = new DataExport(member.member.id);
      e.markReady({ old: true }, 12, new Date(Date.now() - 8 * DAY));
      await em.persist(e).flush();
      return e.id;
    });
    await upkeep.onApplicationBootstrap();
    expect(await queue.getJobScheduler(PRIVACY_MAINTENANCE_SCHEDULER)).toMatchObject({ name: 'erase-expired', every: 3600_000 });
    const deadline = Date.now() + 10_000;
    while ((await row(expired)).state !== 'expired' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await row(expired)).toEqual({ state: 'expired', content: null });
    await queue.removeJobScheduler(PRIVACY_MAINTENANCE_SCHEDULER);
  });
});
