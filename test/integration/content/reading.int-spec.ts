import sharp from 'sharp';
import { AppConfig } from '@libs/config';
import { ImagesWorkerModule } from '@libs/images/images.module';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { QueueModule } from '@libs/queue/queue.module';
import { IMAGES_QUEUE } from '@libs/queue/queue-names';
import { exifTags, phonePhoto } from '@libs/testing/images';
import type { Viewer } from '@libs/security/access-policy';
import {
  CommentOnContentCommand,
  DiscardContentCommand,
  GetContentHomeQuery,
  GetContentImageAccessQuery,
  GetContentQuery,
  ListContentCommentsQuery,
  ListContentQuery,
  ListEventReportsQuery,
  ListMyContentQuery,
  ListPublicContentQuery,
  ListRelatedContentQuery,
  GetContentArticleQuery,
  PreviewContentQuery,
  PublishContentCommand,
  SeedDemoContentCommand,
  SubmitContentCommand,
  UnpublishContentCommand,
  UpdateContentCommand,
  UploadContentImageCommand,
  type ContentVisibility,
} from '@modules/content/contracts';
import { ContentModule } from '@modules/content/content.module';
import { EventsModule } from '@modules/events/events.module';
import { SeedDemoEventsCommand } from '@modules/events/contracts';
import { SeedDemoCommunityCommand } from '@modules/membership/contracts';
import { MembershipModule } from '@modules/membership/membership.module';
import { PrivacyModule } from '@modules/privacy/privacy.module';
import { buildDraft, buildPublished } from '../../factories/content.factory';
import { buildEvent } from '../../factories/event.factory';
import { buildMember, type BuiltMember } from '../../factories/member.factory';
import { runImageErasures, storedFilesOf, storedImageIds } from '../../support/images';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { ACTIVE_HTML, XSS_CORPUS } from './xss-corpus';

process.env.KIZUNA_CONTENT_SCHEDULERS = 'off';

describe('reading content: who sees what, search, related, feed, images and hostile Markdown (PostgreSQL)', () => {
  let h: ModuleHarness;
  let operator: BuiltMember;
  let alumnus: BuiltMember;
  let employee: BuiltMember;
  let pending: BuiltMember;
  let suspended: BuiltMember;

  beforeAll(async () => {
    h = await bootModules([ContentModule, MembershipModule, EventsModule, PrivacyModule, QueueModule, ImagesWorkerModule]);
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '花子' });
    alumnus = await buildMember(h.em.fork(), { status: 'alumni', familyName: '山田', givenName: '太郎' });
    employee = await buildMember(h.em.fork(), { status: 'employee', familyName: '佐藤', givenName: '健' });
    pending = await buildMember(h.em.fork(), { status: 'pending' });
    suspended = await buildMember(h.em.fork(), { status: 'suspended' });
  });
  afterAll(() => h.close());

  it('keeps each visibility to its readers in every list, search, the article, related items, the home page, event reports and the public feed', async () => {
    const event = await buildEvent(h.em.fork(), { inDays: -10, title: '秋の交流会', visibility: 'members' });
    const ids = {} as Record<ContentVisibility, string>;
    for (const visibility of ['public', 'members', 'alumni', 'employees'] as const) {
      ids[visibility] = await buildPublished(h.command, operator.viewer, operator.viewer, {
        type: 'event-report',
        eventId: event.id,
        visibility,
        title: `交流会レポート（${visibility}）`,
        summary: '人事部と営業部の交流',
        tags: ['交流会'],
      });
    }
    const draft = await buildDraft(h.command, alumnus.viewer, { title: '交流会の下書き', tags: ['交流会'] });
    // Tag pages and related items: one more published item sharing the tag.
    const anchor = await buildPublished(h.command, operator.viewer, operator.viewer, { visibility: 'public', title: '交流会のお知らせ', tags: ['交流会'] });

    const sees: [string, Viewer | null, ContentVisibility[]][] = [
      ['a visitor', null, ['public']],
      ['an applicant', pending.viewer, ['public']],
      ['a suspended member', suspended.viewer, ['public']],
      ['an alumnus', alumnus.viewer, ['public', 'members', 'alumni']],
      ['an employee', employee.viewer, ['public', 'members', 'employees']],
      ['an operator', operator.viewer, ['public', 'members', 'alumni', 'employees']],
    ];
    for (const [who, viewer, visible] of sees) {
      const expected = visible.map((v) => ids[v]).sort();
      const hidden = (['public', 'members', 'alumni', 'employees'] as const).filter((v) => !visible.includes(v)).map((v) => ids[v]);
      const listed = (await h.query(new ListContentQuery(viewer, { type: 'event-report' }, 1, 'ja'))).items.map((c) => c.id).sort();
      expect([who, listed]).toEqual([who, expected]);
      const found = (await h.query(new ListContentQuery(viewer, { q: '交流会 人事' }, 1, 'ja'))).items.map((c) => c.id).sort();
      expect([who, found]).toEqual([who, expected]);
      const tagged = (await h.query(new ListContentQuery(viewer, { tag: '交流会' }, 1, 'ja'))).items.map((c) => c.id).sort();
      expect([who, tagged]).toEqual([who, [...expected, anchor].sort()]);
      const home = await h.query(new GetContentHomeQuery(viewer, 'ja', 10));
      expect([who, home.latest.map((c) => c.id).sort()]).toEqual([who, [...expected, anchor].sort()]);
      const related = (await h.query(new ListRelatedContentQuery(viewer, anchor, 'ja', 10))).map((c) => c.id).sort();
      expect([who, related]).toEqual([who, expected]);
      const reports = (await h.query(new ListEventReportsQuery(viewer, event.id, 'ja'))).map((c) => c.id).sort();
      expect([who, reports]).toEqual([who, expected]);
      for (const id of hidden) await expect(h.query(new GetContentQuery(viewer, id, 'ja'))).rejects.toMatchObject({ status: 404 });
      for (const id of hidden) await expect(h.query(new GetContentArticleQuery(viewer, id, 1, 'ja'))).rejects.toMatchObject({ status: 404 });
      for (const id of expected) expect((await h.query(new GetContentQuery(viewer, id, 'ja'))).id).toBe(id);
      // The article page's one query answers what the three queries answer.
      const article = await h.query(new GetContentArticleQuery(viewer, anchor, 1, 'ja', 10));
      expect([who, article]).toEqual([
        who,
        {
          item: await h.query(new GetContentQuery(viewer, anchor, 'ja')),
          related: await h.query(new ListRelatedContentQuery(viewer, anchor, 'ja', 10)),
          comments: await h.query(new ListContentCommentsQuery(viewer, anchor, 1, 'ja')),
        },
      ]);
      // Nobody but its author and operators sees a draft; its page has neither related items nor comments.
      if (viewer === operator.viewer || viewer === alumnus.viewer) {
        expect((await h.query(new GetContentQuery(viewer, draft, 'ja'))).status).toBe('draft');
        expect(await h.query(new GetContentArticleQuery(viewer, draft, 1, 'ja'))).toMatchObject({ item: { id: draft, status: 'draft' }, related: [], comments: null });
      } else await expect(h.query(new GetContentQuery(viewer, draft, 'ja'))).rejects.toMatchObject({ status: 404 });
    }
    expect((await h.query(new ListPublicContentQuery())).map((e) => e.id).sort()).toEqual([ids.public, anchor].sort());
    const [entry] = await h.query(new ListPublicContentQuery(1));
    expect(entry).toMatchObject({ id: anchor, url: `http://kizuna.test/content/${anchor}`, authorName: '運営 花子', imageUrl: null });
    // Unpublished, an item leaves every list and the feed.
    await h.command(new UnpublishContentCommand(operator.viewer, ids.public));
    expect((await h.query(new ListPublicContentQuery())).map((e) => e.id)).toEqual([anchor]);
    expect((await h.query(new ListContentQuery(null, {}, 1, 'ja'))).items.map((c) => c.id)).toEqual([anchor]);
    expect((await h.query(new ListMyContentQuery(alumnus.viewer, 1, 'ja'))).items.map((c) => c.id)).toEqual([draft]);
  });

  it('searches Japanese text: two-character words, width and kana folding, AND of words, with type and date filters', async () => {
    const a = await buildPublished(h.command, operator.viewer, operator.viewer, { type: 'industry', title: 'ＤＸ推進と人事制度', summary: '', body: 'デジタル人材の採用について。' });
    const b = await buildPublished(h.command, operator.viewer, operator.viewer, { type: 'column', title: '営業の現場から', summary: '', body: 'でじたる化が進む営業部の一年。' });
    const c = await buildPublished(h.command, operator.viewer, operator.viewer, { type: 'column', title: '採用面接のコツ', summary: '人事部より', body: '面接官のための手引き。' });
    const ids = async (filter: ConstructorParameters<typeof ListContentQuery>[1]) => (await h.query(new ListContentQuery(employee.viewer, filter, 1, 'ja'))).items.map((i) => i.id).sort();
    expect(await ids({ q: '人事' })).toEqual([a, c].sort());
    expect(await ids({ q: 'dx' })).toEqual([a]);
    expect(await ids({ q: 'デジタル' })).toEqual([a, b].sort());
    expect(await ids({ q: '人事 採用' })).toEqual([a, c].sort());
    expect(await ids({ q: '人事　営業' })).toEqual([]);
    expect(await ids({ q: '人事', type: 'column' })).toEqual([c]);
    const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
    expect(await ids({ q: '人事', from: today, to: today })).toEqual([a, c].sort());
    expect(await ids({ q: '人事', to: '2020-01-01' })).toEqual([]);
    const listed = await h.query(new ListContentQuery(employee.viewer, { q: 'ＤＸ 推進' }, 1, 'ja'));
    expect(listed.words).toEqual(['dx', '推進']);
    await expect(h.query(new ListContentQuery(employee.viewer, { q: '人' }, 1, 'ja'))).rejects.toMatchObject({ field: 'q', code: 'content.errors.tooShort' });
    await expect(h.query(new ListContentQuery(employee.viewer, { from: '2026-02-30' }, 1, 'ja'))).rejects.toMatchObject({ field: 'from' });
    await expect(h.query(new ListContentQuery(employee.viewer, { type: 'blog' as never }, 1, 'ja'))).rejects.toMatchObject({ field: 'type' });
  });

  it('renders the XSS corpus inert in articles, previews and comments, and stores the text exactly as typed', async () => {
    const body = XSS_CORPUS.join('\n\n');
    const id = await buildPublished(h.command, alumnus.viewer, operator.viewer, { body, title: '<script>alert("title")</script>', summary: '<img src=x onerror=alert(1)>' });
    const view = await h.query(new GetContentQuery(employee.viewer, id, 'ja'));
    expect(view.version.body).toBe(body);
    expect(view.title).toBe('<script>alert("title")</script>');
    expect(view.version.html).not.toMatch(ACTIVE_HTML);
    expect(view.version.html).toContain('&lt;script&gt;');
    const [stored] = await h.fresh((em) => em.execute<{ html: string }[]>('select html from content.version where item_id = ?', [id]));
    expect(stored.html).not.toMatch(ACTIVE_HTML);
    const preview = await h.query(new PreviewContentQuery(alumnus.viewer, body, 'ja'));
    expect(preview.html).toBe(view.version.html);
    for (const line of XSS_CORPUS) await h.command(new CommentOnContentCommand(employee.viewer, id, line));
    const comments = await h.query(new ListContentCommentsQuery(employee.viewer, id, 1, 'ja'));
    expect(comments.items).toHaveLength(XSS_CORPUS.length);
    for (const c of comments.items) {
      expect(c.html).not.toMatch(ACTIVE_HTML);
      expect(c.html).not.toMatch(/<img/);
    }
  });

  it('takes a cover and body pictures through the image pipeline, serves them with the item\'s visibility, and erases them with the item', async () => {
    const id = await buildDraft(h.command, alumnus.viewer, { visibility: 'alumni' });
    const photo = await phonePhoto(1600, 900);
    const cover = await h.command(new UploadContentImageCommand(alumnus.viewer, id, 'cover', photo, { x: 0.2, y: 0.5 }));
    expect(storedFilesOf(h.app, cover.imageId)).toEqual(['960.jpg', 'card.jpg', 'full.jpg', 'og.jpg']);
    expect(cover.markdown).toBe('');
    const body = await h.command(new UploadContentImageCommand(alumnus.viewer, id, 'body', photo));
    expect(body).toMatchObject({ url: `/content/images/${body.imageId}/960`, markdown: `![](/content/images/${body.imageId}/960)` });
    expect(storedFilesOf(h.app, body.imageId)).toEqual(['320.webp', '960.webp', 'full.webp']);
    const card = await sharp(storedFilePath(cover.imageId, 'card.jpg')).metadata();
    expect([card.width, card.height]).toEqual([640, 360]);
    expect(exifTags((await sharp(photo).metadata()).exif!).gps.length).toBeGreaterThan(0);
    expect((await sharp(storedFilePath(cover.imageId, 'full.jpg')).metadata()).exif).toBeUndefined();

    // Someone else cannot upload to the item.
    await expect(h.command(new UploadContentImageCommand(employee.viewer, id, 'body', photo))).rejects.toMatchObject({ status: 404 });
    // A body image is not a cover; the cover is.
    await expect(h.command(new UpdateContentCommand(alumnus.viewer, id, { coverImageId: body.imageId }))).rejects.toMatchObject({ field: 'coverImageId', code: 'content.errors.notCover' });
    await h.command(new UpdateContentCommand(alumnus.viewer, id, { coverImageId: cover.imageId, coverAlt: '交流会の集合写真', body: `写真です。\n\n${body.markdown}\n\n![外部](https://evil.example/x.png)` }));
    const view = await h.query(new GetContentQuery(alumnus.viewer, id, 'ja'));
    expect(view.cover).toEqual({ imageId: cover.imageId, cardUrl: `/content/images/${cover.imageId}/card`, ogUrl: `/content/images/${cover.imageId}/og`, fullUrl: `/content/images/${cover.imageId}/full`, alt: '交流会の集合写真' });
    expect(view.version.html).toContain(`<img src="/content/images/${body.imageId}/960"`);
    expect(view.version.html).not.toContain('evil.example');

    // Draft: the author and operators only. Published for alumni: alumni (private caching), not employees or visitors.
    const access = (viewer: Viewer | null, imageId = cover.imageId) => h.query(new GetContentImageAccessQuery(viewer, imageId));
    expect(await access(alumnus.viewer)).toEqual({ public: false });
    expect(await access(operator.viewer)).toEqual({ public: false });
    expect(await access(employee.viewer)).toBeNull();
    await h.command(new SubmitContentCommand(alumnus.viewer, id));
    await h.command(new PublishContentCommand(operator.viewer, id));
    const other = await buildMember(h.em.fork(), { status: 'alumni' });
    expect(await access(other.viewer, body.imageId)).toEqual({ public: false });
    expect(await access(employee.viewer)).toBeNull();
    expect(await access(null)).toBeNull();
    expect(await access(null, 'f'.repeat(32))).toBeNull();
    await h.command(new UpdateContentCommand(operator.viewer, id, { visibility: 'public' }));
    expect(await access(null)).toEqual({ public: true });
    expect((await h.query(new GetContentQuery(null, id, 'ja'))).cover?.ogUrl).toBe(`/content/images/${cover.imageId}/og`);
    expect((await h.query(new ListPublicContentQuery()))[0].imageUrl).toBe(`http://kizuna.test/content/images/${cover.imageId}/og`);

    await h.command(new UnpublishContentCommand(operator.viewer, id));
    await h.command(new DiscardContentCommand(operator.viewer, id));
    const erasures = await h.fresh((em) => em.find(OutboxMessage, { queue: IMAGES_QUEUE }));
    expect(erasures.map((e) => e.payload.imageId).sort()).toEqual([cover.imageId, body.imageId].sort());
    expect((await runImageErasures(h.app)).sort()).toEqual([cover.imageId, body.imageId].sort());
    expect(storedImageIds(h.app)).not.toContain(cover.imageId);
  });

  it('refuses a twenty-first picture in one item', async () => {
    const id = await buildDraft(h.command, alumnus.viewer);
    const tiny = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } }).png().toBuffer();
    for (let i = 0; i < 20; i++) await h.command(new UploadContentImageCommand(alumnus.viewer, id, 'body', tiny));
    await expect(h.command(new UploadContentImageCommand(alumnus.viewer, id, 'body', tiny))).rejects.toMatchObject({ field: 'file', code: 'content.errors.tooMany' });
    await expect(h.command(new UploadContentImageCommand(alumnus.viewer, id, 'body', Buffer.from('not an image')))).rejects.toMatchObject({ field: 'file' });
  });

  it('seeds demo content for every type once, with an event report on a past demo event', async () => {
    await resetDatabase(h.em);
    await h.command(new SeedDemoCommunityCommand(30));
    operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator' });
    await h.command(new SeedDemoEventsCommand());
    const seeded = await h.command(new SeedDemoContentCommand());
    expect(seeded.created).toBeGreaterThanOrEqual(10);
    expect(await h.command(new SeedDemoContentCommand())).toEqual({ created: 0 });
    const rows = await h.fresh((em) => em.execute<{ type: string; status: string; visibility: string; featured: boolean; event_id: string | null }[]>(
      'select type, status, visibility, featured_at is not null as featured, event_id from content.item',
    ));
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(['news', 'industry', 'column', 'event-report']));
    expect(new Set(rows.map((r) => r.visibility))).toEqual(new Set(['public', 'members', 'alumni', 'employees']));
    expect(rows.filter((r) => r.featured)).toHaveLength(1);
    expect(rows.filter((r) => r.status === 'scheduled')).toHaveLength(1);
    expect(rows.filter((r) => r.status === 'submitted')).toHaveLength(1);
    expect(rows.find((r) => r.type === 'event-report')?.event_id).toBeTruthy();
    const home = await h.query(new GetContentHomeQuery(null, 'ja'));
    expect(home.featured.map((c) => c.title)).toEqual(['アルムナイ・コミュニティ「Kizuna」を開設しました']);
    expect(home.latest.every((c) => c.visibility === 'public')).toBe(true);
    const [report] = rows.filter((r) => r.type === 'event-report');
    const reports = await h.query(new ListEventReportsQuery(operator.viewer, report.event_id!, 'ja'));
    expect(reports).toHaveLength(1);
    expect(reports[0].comments).toBeGreaterThan(0);
  });

  function storedFilePath(imageId: string, file: string): string {
    const { uploadDir } = h.app.get(AppConfig);
    return `${uploadDir}/images/${imageId.slice(0, 2)}/${imageId}/${file}`;
  }
});
