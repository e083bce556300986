import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { SetProfilePhotoCommand } from '@modules/membership/contracts';
import { MembershipModule } from '@modules/membership/membership.module';
import { ReencodeLegacyPhotosCommand } from '@modules/membership/application/update-profile/reencode-legacy-photos.handler';
import { AppConfig } from '@libs/config';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { Migration20261205110000_profile_photo_images } from '../../../src/migrations/Migration20261205110000_profile_photo_images';
import { exifTags, flatImage, phonePhoto } from '@libs/testing/images';
import { storedFilesOf, storedImageIds } from '../../support/images';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember } from '../../factories/member.factory';

interface Row {
  member_id: string;
  photo_id: string | null;
  legacy_photo_key: string | null;
}

/** Photos stored as uploaded before the image pipeline are re-encoded once by a job; running it again changes nothing. */
describe('re-encoding legacy profile photos (Membership, real PostgreSQL)', () => {
  let h: ModuleHarness;
  let photoDir: string;

  beforeAll(async () => {
    h = await bootModules([MembershipModule]);
    photoDir = join(h.app.get(AppConfig).uploadDir, 'photos');
  });
  beforeEach(() => resetDatabase(h.em));
  afterAll(() => h.close());

  /** A member whose photo was stored as uploaded (the old photo store's file name and folder). */
  async function legacyMember(bytes: Buffer | null, ext = 'jpg'): Promise<{ memberId: string; key: string }> {
    const m = await buildMember(h.em.fork(), { status: 'alumni' });
    const key = `${m.member.id}-${Math.random().toString(16).slice(2, 10).padEnd(16, '0')}.${ext}`;
    mkdirSync(photoDir, { recursive: true });
    if (bytes) writeFileSync(join(photoDir, key), bytes);
    await h.fresh((em) => em.execute('update membership.profile set legacy_photo_key = ? where member_id = ?', [key, m.member.id]));
    return { memberId: m.member.id, key };
  }

  const rows = () => h.fresh((em) => em.execute<Row[]>('select member_id, photo_id, legacy_photo_key from membership.profile order by member_id'));
  const rowOf = async (memberId: string) => (await rows()).find((r) => r.member_id === memberId)!;
  const snapshot = async () => ({
    profiles: await rows(),
    images: storedImageIds(h.app).sort(),
    legacyFiles: existsSync(photoDir) ? readdirSync(photoDir).sort() : null,
    processed: await h.fresh((em) => em.execute<{ key: string }[]>('select key from platform.processed_job order by key')),
    outbox: await h.fresh((em) => em.execute<{ n: string }[]>('select count(*) as n from platform.outbox')),
  });

  it('turns an old-style photo into pipeline variants without metadata, drops unreadable ones, keeps newer photos; a second run changes nothing', async () => {
    const phone = await phonePhoto(300, 200, 6);
    expect(exifTags((await sharp(phone).metadata()).exif!).gps.length).toBeGreaterThan(0);
    const good = await legacyMember(phone);
    const broken = await legacyMember(Buffer.from('これは写真ではありません'), 'png');
    const missing = await legacyMember(null);
    const newer = await legacyMember(await flatImage(40, 40, 'png'), 'png');
    await h.command(new SetProfilePhotoCommand(newer.memberId, await flatImage(50, 50, 'webp')));
    const newerPhoto = (await rowOf(newer.memberId)).photo_id;
    writeFileSync(join(photoDir, '00000000-0000-4000-8000-000000000000-0123456789abcdef.png'), 'a file no profile refers to');
    const imagesBefore = storedImageIds(h.app);

    const result = await h.command(new ReencodeLegacyPhotosCommand());

    expect(result).toEqual({ reencoded: 1, superseded: 1, dropped: 2, strayFilesRemoved: 1 });
    const goodRow = await rowOf(good.memberId);
    expect(goodRow.legacy_photo_key).toBeNull();
    expect(goodRow.photo_id).toMatch(/^[0-9a-f]{32}$/);
    expect(storedImageIds(h.app).filter((id) => !imagesBefore.includes(id))).toEqual([goodRow.photo_id]);
    expect(storedFilesOf(h.app, goodRow.photo_id!)).toEqual(['160.webp', '480.webp', '64.webp', 'full.webp']);
    const full = await sharp(join(h.app.get(AppConfig).uploadDir, 'images', goodRow.photo_id!.slice(0, 2), goodRow.photo_id!, 'full.webp')).metadata();
    expect([full.format, full.width, full.height, full.exif, full.xmp, full.icc]).toEqual(['webp', 200, 300, undefined, undefined, undefined]);

    expect(await rowOf(broken.memberId)).toMatchObject({ photo_id: null, legacy_photo_key: null });
    expect(await rowOf(missing.memberId)).toMatchObject({ photo_id: null, legacy_photo_key: null });
    expect(await rowOf(newer.memberId)).toMatchObject({ photo_id: newerPhoto, legacy_photo_key: null });
    // Every old file is gone, and the old folder with them; no image is left waiting for an owner.
    expect(existsSync(photoDir)).toBe(false);
    expect(await h.fresh((em) => em.execute<{ n: string }[]>('select count(*)::int as n from platform.pending_image'))).toEqual([{ n: 0 }]);

    const before = await snapshot();
    expect(await h.command(new ReencodeLegacyPhotosCommand())).toEqual({ reencoded: 0, superseded: 0, dropped: 0, strayFilesRemoved: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it('is queued through the outbox by the migration when legacy photos exist (and only then)', async () => {
    const queueing = async () => {
      const migration = new Migration20261205110000_profile_photo_images(h.em.getDriver(), h.em.config);
      await migration.up();
      const insert = migration.getQueries().map(String).find((q) => q.includes('"platform"."outbox"'));
      if (!insert) throw new Error('the migration queues no job');
      await h.fresh((em) => em.execute(insert));
      return h.fresh((em) => em.find(OutboxMessage, {}));
    };
    expect(await queueing()).toEqual([]);
    await legacyMember(await phonePhoto());
    expect((await queueing()).map((r) => [r.queue, r.name, r.jobId, r.payload])).toEqual([['membership-photos', 'reencode-legacy-photos', 'reencode-legacy-photos', {}]]);
  });

  it('claims each photo once in platform.processed_job, in the transaction that records the new image', async () => {
    const one = await legacyMember(await phonePhoto());
    await h.command(new ReencodeLegacyPhotosCommand());
    const keys = await h.fresh((em) => em.execute<{ key: string }[]>('select key from platform.processed_job'));
    expect(keys.map((k) => k.key)).toEqual([`reencode-legacy-photo:${one.memberId}:${one.key}`]);
  });
});
