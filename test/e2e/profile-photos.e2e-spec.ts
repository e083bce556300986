import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EntityManager } from '@mikro-orm/postgresql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import sharp from 'sharp';
import type { Response } from 'supertest';
import { AppConfig } from '@libs/config';
import { exifTags, flatImage, phonePhoto, pixelAt } from '@libs/testing/images';
import { Profile } from '@modules/membership/domain/profile.entity';
import { buildMember, type BuiltMember, type MemberSpec } from '../factories/member.factory';
import { browser, csrfToken, follow, signIn, submit, type Agent } from '../support/http';
import { decode } from '../support/html';
import { bootWebApp, resetDatabase } from '../support/test-app';

const CACHE_MEMBERS = 'private, max-age=86400, immutable';
const VARIANTS = { '64': [64, 64], '160': [160, 160], '480': [320, 480], full: [1365, 2048] } as const;

/** Collects a binary response body (supertest parses only text and JSON by itself). */
function binary(res: NodeJS.ReadableStream & { setEncoding(e: string): void }, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

function fieldError(html: string, name: string): string {
  const block = new RegExp(`id="f-${name}-error">([\\s\\S]*?)</div>`).exec(html)?.[1];
  if (block === undefined) throw new Error(`No field "${name}" on the page`);
  return decode(block.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).trim();
}

/**
 * Profile photos over HTTP: a phone photo carrying GPS coordinates goes in through the profile form and every size
 * comes out without any metadata; who may fetch which address; what browsers and proxies may keep.
 */
describe('profile photos over HTTP: the image pipeline, visibility and caching', () => {
  let app: NestExpressApplication;
  let em: EntityManager;
  let ipSeq = 0;
  const previousTrustProxy = process.env.TRUST_PROXY;

  const agent = (): Agent => {
    ipSeq += 1;
    return browser(app).set('X-Forwarded-For', `10.31.${(ipSeq >> 8) & 255}.${ipSeq & 255}`);
  };
  async function signedIn(spec: MemberSpec = { status: 'alumni' }): Promise<{ a: Agent; m: BuiltMember }> {
    const m = await buildMember(em.fork(), spec);
    const a = agent();
    await signIn(a, m.email, m.password);
    return { a, m };
  }
  async function upload(a: Agent, bytes: Buffer, filename = 'IMG_0001.jpg', contentType = 'image/jpeg') {
    const token = await csrfToken(a, '/profile/edit');
    return a.post(`/profile/photo?_csrf=${encodeURIComponent(token)}`).attach('photo', bytes, { filename, contentType });
  }
  const photoIdOf = async (memberId: string) => (await em.fork().findOneOrFail(Profile, { memberId })).photoId;
  const fetchImage = (a: Agent, path: string) => a.get(path).buffer(true).parse(binary as never) as unknown as Promise<Response & { body: Buffer }>;

  beforeAll(async () => {
    process.env.TRUST_PROXY = 'true';
    app = await bootWebApp();
    em = app.get(EntityManager);
    await resetDatabase(em);
  });
  afterAll(async () => {
    await app.close();
    if (previousTrustProxy === undefined) delete process.env.TRUST_PROXY;
    else process.env.TRUST_PROXY = previousTrustProxy;
  });

  it('takes a phone photo with GPS EXIF through the form and serves every size upright, capped, and without any metadata', async () => {
    const photo = await phonePhoto(3000, 2000, 6);
    const input = await sharp(photo).metadata();
    expect(input.orientation).toBe(6);
    expect(exifTags(input.exif!).gps).toEqual(expect.arrayContaining([1, 2, 3, 4]));
    expect(photo.includes(Buffer.from('Exif'))).toBe(true);

    const { a, m } = await signedIn();
    const res = await upload(a, photo);
    expect({ status: res.status, location: res.headers.location }).toEqual({ status: 303, location: '/profile/edit#photo' });
    const photoId = await photoIdOf(m.member.id);
    expect(photoId).toMatch(/^[0-9a-f]{32}$/);

    const viewer = (await signedIn({ status: 'employee' })).a;
    for (const [variant, [width, height]] of Object.entries(VARIANTS)) {
      const got = await fetchImage(viewer, `/members/${m.member.id}/photo/${photoId}/${variant}`);
      expect({ variant, status: got.status, type: got.headers['content-type'], cache: got.headers['cache-control'], nosniff: got.headers['x-content-type-options'] }).toEqual({
        variant,
        status: 200,
        type: 'image/webp',
        cache: CACHE_MEMBERS,
        nosniff: 'nosniff',
      });
      const body = got.body;
      expect(Number(got.headers['content-length'])).toBe(body.length);
      for (const needle of ['Exif', 'KizunaPhone', 'Kizuna Tester', 'xmpmeta']) expect({ variant, needle, found: body.includes(Buffer.from(needle)) }).toEqual({ variant, needle, found: false });
      const meta = await sharp(body).metadata();
      expect({ variant, format: meta.format, size: [meta.width, meta.height], exif: meta.exif, xmp: meta.xmp, icc: meta.icc, orientation: meta.orientation }).toEqual({
        variant,
        format: 'webp',
        size: [width, height],
        exif: undefined,
        xmp: undefined,
        icc: undefined,
        orientation: undefined,
      });
      if (variant === 'full') {
        // The green corner, top-left as the camera stored it, is top-right once the orientation is applied.
        const [r, g] = await pixelAt(body, width - 10, 10);
        expect([r < 80, g > 180]).toEqual([true, true]);
      }
    }
  });

  it('shows the thumbnails on the profile page, in the editor, in the directory and in the header', async () => {
    const { a, m } = await signedIn({ status: 'alumni', familyName: '写真', givenName: '花子', familyNameKana: 'シャシン', givenNameKana: 'ハナコ' });
    await upload(a, await flatImage(800, 600, 'png'), 'me.png', 'image/png');
    const base = `/members/${m.member.id}/photo/${await photoIdOf(m.member.id)}`;
    const viewer = (await signedIn({ status: 'employee' })).a;

    const profile = (await viewer.get(`/members/${m.member.id}`).expect(200)).text;
    expect(profile).toContain(`src="${base}/160" srcset="${base}/160 1x, ${base}/480 2x"`);
    expect(profile).toContain(`href="${base}/full"`);
    const editor = (await a.get('/profile/edit').expect(200)).text;
    expect(editor).toContain(`src="${base}/160"`);
    const directory = (await viewer.get(`/members?q=${encodeURIComponent('写真')}`).expect(200)).text;
    expect(directory).toContain(`src="${base}/160" width="56" height="56"`);
    // The owner's own header shows the 64 px square beside their name; another member's header does not show it.
    expect((await a.get('/').expect(200)).text).toContain(`<img class="header-avatar" src="${base}/64" width="28" height="28" alt="">`);
    expect((await viewer.get('/').expect(200)).text).not.toContain(`<img class="header-avatar" src="${base}/64"`);
  });

  it('gives a new photo a new address; the old one is gone at once; the photo address follows the current photo', async () => {
    const { a, m } = await signedIn();
    await upload(a, await flatImage(300, 300, 'jpeg', '#ff0000'), 'one.jpg');
    const first = await photoIdOf(m.member.id);
    await upload(a, await flatImage(300, 300, 'webp', '#0000ff'), 'two.webp', 'image/webp');
    const second = await photoIdOf(m.member.id);
    expect(second).not.toBe(first);

    const viewer = (await signedIn({ status: 'alumni' })).a;
    const old = await viewer.get(`/members/${m.member.id}/photo/${first}/160`);
    expect([old.status, old.headers['cache-control']]).toEqual([404, 'private, no-store']);
    expect((await fetchImage(viewer, `/members/${m.member.id}/photo/${second}/160`)).status).toBe(200);

    const current = await viewer.get(`/members/${m.member.id}/photo`);
    expect([current.status, current.headers.location, current.headers['cache-control']]).toEqual([303, `/members/${m.member.id}/photo/${second}/480`, 'private, no-cache']);
    expect((await viewer.get(`/members/${m.member.id}/photo?size=64`)).headers.location).toBe(`/members/${m.member.id}/photo/${second}/64`);
    expect((await viewer.get(`/members/${m.member.id}/photo?size=../../x`)).headers.location).toBe(`/members/${m.member.id}/photo/${second}/480`);

    const removed = await submit(a, '/profile/photo/delete', {}, '/profile/edit');
    expect(removed.status).toBe(303);
    expect((await viewer.get(`/members/${m.member.id}/photo/${second}/160`)).status).toBe(404);
    expect((await viewer.get(`/members/${m.member.id}/photo`)).status).toBe(404);
  });

  it('follows the profile\'s visibility: a suspended member\'s photo is for operators only, a deleted member\'s for nobody', async () => {
    const { a, m } = await signedIn({ status: 'alumni' });
    await upload(a, await phonePhoto());
    const photoId = (await photoIdOf(m.member.id)) as string;
    const path = `/members/${m.member.id}/photo/${photoId}/64`;
    const alumnus = (await signedIn({ status: 'alumni' })).a;
    const operator = (await signedIn({ status: 'employee', role: 'operator' })).a;
    const { a: admin } = await signedIn({ status: 'employee', role: 'admin' });
    expect([(await alumnus.get(path)).status, (await operator.get(path)).status]).toEqual([200, 200]);

    const suspended = await submit(admin, `/admin/members/${m.member.id}/suspend`, { reason: '確認のため' }, `/admin/members/${m.member.id}`);
    expect(suspended.status).toBe(303);
    expect([(await alumnus.get(path)).status, (await operator.get(path)).status, (await admin.get(path)).status]).toEqual([404, 200, 200]);
    const reinstated = await submit(admin, `/admin/members/${m.member.id}/reinstate`, {}, `/admin/members/${m.member.id}`);
    expect(reinstated.status).toBe(303);
    expect((await alumnus.get(path)).status).toBe(200);

    const again = agent();
    await signIn(again, m.email, m.password);
    const deleted = await submit(again, '/account/delete', { password: m.password, confirm: 'on' }, '/account/delete');
    expect(deleted.status).toBe(303);
    for (const who of [alumnus, operator, admin]) expect((await who.get(path)).status).toBe(404);
    expect(await photoIdOf(m.member.id)).toBeNull();
  });

  it('answers 404 to made-up ids, unknown sizes and path tricks, and never serves a file from elsewhere', async () => {
    const { a, m } = await signedIn();
    await upload(a, await flatImage(100, 100, 'png'), 'me.png', 'image/png');
    const photoId = (await photoIdOf(m.member.id)) as string;
    const uploads = app.get(AppConfig).uploadDir;
    expect(existsSync(join(uploads, 'images', photoId.slice(0, 2), photoId, 'full.webp'))).toBe(true);
    const viewer = (await signedIn({ status: 'alumni' })).a;
    for (const path of [
      `/members/${m.member.id}/photo/${'f'.repeat(32)}/160`,
      `/members/${m.member.id}/photo/${photoId.toUpperCase()}/160`,
      `/members/${m.member.id}/photo/${photoId}/original`,
      `/members/${m.member.id}/photo/${photoId}/full.webp`,
      `/members/${m.member.id}/photo/${photoId}/..%2Ffull`,
      `/members/${m.member.id}/photo/..%2F..%2F..%2Fetc%2Fpasswd/full`,
      `/members/${m.member.id}/photo/${photoId}%2F..%2F${photoId}/full`,
      `/members/00000000-0000-4000-8000-000000000000/photo/${photoId}/160`,
    ]) {
      const res = await viewer.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.headers['content-type'] ?? '').not.toMatch(/^image\//);
    }
  });

  describe('refusals are shown on the form in the member\'s language, never a 500', () => {
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(256)]);
    const cases: [string, () => Promise<Buffer>, string, string][] = [
      ['an iPhone HEIC', async () => heic, 'HEIC形式の画像には対応していません。JPEGで保存し直すか、スクリーンショットなど別の形式でお試しください。', 'HEIC images are not supported. Please save the picture as JPEG, or try another format.'],
      ['a truncated JPEG', async () => (await phonePhoto(600, 400)).subarray(0, 3000), '画像を読み込めませんでした。ファイルが壊れている可能性があります。別の画像をお試しください。', 'The image could not be read; the file may be damaged. Please try another image.'],
      ['a GIF', () => flatImage(10, 10, 'gif'), 'JPEG・PNG・WebP形式の画像を選んでください。', 'Please choose a JPEG, PNG or WebP image.'],
      ['a picture of 30000 × 30000 pixels', async () => {
        // A PNG header claiming a huge image: what a decompression bomb looks like before it is decoded.
        const png = await flatImage(1, 1, 'png');
        const bomb = Buffer.from(png);
        bomb.writeUInt32BE(30_000, 16);
        bomb.writeUInt32BE(30_000, 20);
        return bomb;
      }, '画像の画素数が大きすぎます（50メガピクセルまで）。縮小してからお試しください。', 'The image has too many pixels (up to 50 megapixels). Please make it smaller and try again.'],
    ];

    it.each(cases)('%s', async (_name, make, ja, en) => {
      const { a, m } = await signedIn();
      const bytes = await make();
      const res = await upload(a, bytes, 'photo.jpg');
      expect({ status: res.status, location: res.headers.location }).toEqual({ status: 303, location: '/profile/edit' });
      expect(fieldError((await follow(a, res)).text, 'photo')).toBe(ja);

      expect((await submit(a, '/locale', { locale: 'en', next: '/profile/edit' }, '/profile/edit')).status).toBe(303);
      const english = await upload(a, bytes, 'photo.jpg');
      expect(fieldError((await follow(a, english)).text, 'photo')).toBe(en);
      expect(await photoIdOf(m.member.id)).toBeNull();
    });
  });
});
