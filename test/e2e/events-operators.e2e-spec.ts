import type { NestExpressApplication } from '@nestjs/platform-express';
import { EntityManager } from '@mikro-orm/postgresql';
import { Event } from '@modules/events/domain/event.entity';
import { Registration } from '@modules/events/domain/registration.entity';
import { buildMember, type BuiltMember } from '../factories/member.factory';
import { browser, follow, signIn, submit, type Agent } from '../support/http';
import { decode, mainText } from '../support/html';
import { bootWebApp, resetDatabase } from '../support/test-app';

/** Local date-time in Asia/Tokyo, `days` from now, at `time`. */
function tokyo(days: number, time: string): string {
  const date = new Date(Date.now() + days * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
  return `${date}T${time}`;
}

const form = (over: Record<string, string> = {}): Record<string, string> => ({
  title: '丸の内アルムナイ交流会',
  category: 'party',
  visibility: 'members',
  organiserName: '運営事務局',
  timeZone: 'Asia/Tokyo',
  startsAt: tokyo(14, '18:30'),
  endsAt: tokyo(14, '21:00'),
  deadlineAt: '',
  format: 'onsite',
  place: '本社 20階 カフェテリア',
  onlineUrl: '',
  feeYen: '2000',
  paymentNote: '当日受付で現金でお支払いください。',
  capacity: '30',
  maxCompanions: '1',
  description: '久しぶりに集まりましょう。',
  notes: '名刺をお持ちください。',
  ...over,
});

describe('operators run events over HTTP', () => {
  let app: NestExpressApplication;
  let em: EntityManager;
  let operator: BuiltMember;
  let member: BuiltMember;
  let ops: Agent;
  let alumna: Agent;

  beforeAll(async () => {
    app = await bootWebApp();
    em = app.get(EntityManager);
    await resetDatabase(em);
    operator = await buildMember(em.fork(), { status: 'alumni', role: 'operator', familyName: '運営', givenName: '太郎' });
    member = await buildMember(em.fork(), { status: 'alumni', familyName: '田中', givenName: '美咲', familyNameKana: 'タナカ', givenNameKana: 'ミサキ' });
    ops = browser(app);
    await signIn(ops, operator.email, operator.password);
    alumna = browser(app);
    await signIn(alumna, member.email, member.password);
  });
  afterAll(() => app.close());

  async function createEvent(fields: Record<string, string> = {}): Promise<string> {
    const res = await submit(ops, '/admin/events', form(fields), '/admin/events/new');
    const id = /^\/admin\/events\/([0-9a-f-]{36})\/edit$/.exec(res.headers.location ?? '')?.[1];
    if (!id) throw new Error(`Creating the event failed: ${res.status} ${res.headers.location}`);
    return id;
  }

  it('from a new event to a member registered, checked in, and the attendance rate', async () => {
    // The operator finds the events in the console menu and creates a draft.
    const console = await ops.get('/admin').expect(200);
    expect(console.text).toContain('href="/admin/events"');
    const newPage = await ops.get('/admin/events/new').expect(200);
    expect(mainText(newPage.text)).toContain('日本標準時 (Asia/Tokyo)');
    const id = await createEvent();
    const draft = await ops.get(`/admin/events/${id}/edit`).expect(200);
    expect(mainText(draft.text)).toContain('下書きを作成しました');
    expect(decode(draft.text)).toContain(`value="${form().startsAt}"`);
    // Members do not see a draft.
    expect((await alumna.get(`/events/${id}`)).status).toBe(404);

    const published = await submit(ops, `/admin/events/${id}/publish`, {}, `/admin/events/${id}/edit`);
    expect(published.headers.location).toBe(`/admin/events/${id}/edit`);
    expect(mainText((await follow(ops, published)).text)).toContain('イベントを公開しました');

    // A member registers with a companion and takes the .ics home.
    const detail = await alumna.get(`/events/${id}`).expect(200);
    expect(mainText(detail.text)).toContain('丸の内アルムナイ交流会');
    const registered = await submit(alumna, `/events/${id}/register`, { companions: '1' }, `/events/${id}`);
    expect(registered.status).toBe(303);
    const ics = await alumna.get(`/events/${id}/calendar.ics`).expect(200);
    expect(ics.headers['content-type']).toMatch(/text\/calendar/);
    expect(ics.text).toContain('BEGIN:VEVENT');

    // The attendee list and its CSV export (recorded in the audit log).
    const attendees = await ops.get(`/admin/events/${id}/attendees`).expect(200);
    expect(mainText(attendees.text)).toMatch(/田中 美咲.*1名.*参加確定/);
    const csv = await ops.get(`/admin/events/${id}/attendees.csv`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="event-attendees-\d{8}-\d{4}\.csv"$/);
    const bytes = csv.body as Buffer;
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('No.,会員ID,氏名,状態,待ち順,同伴者,申込日時,チェックイン');
    expect(lines[1]).toMatch(new RegExp(`^1,${member.member.id},田中 美咲,参加確定,,1,\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2},$`));
    const audit = await em.fork().getConnection().execute<{ action: string; detail: { rows: number; event: string } }[]>(`select action, detail from privacy.audit_event where actor_id = ?`, [operator.member.id]);
    expect(audit).toEqual([{ action: 'event.attendees-exported', detail: { event: '丸の内アルムナイ交流会', rows: 1 } }]);

    // On the day: the check-in page finds her by name; one tap checks her in, a second changes nothing.
    const checkInPage = await ops.get(`/admin/events/${id}/check-in?q=${encodeURIComponent('田中')}`).expect(200);
    expect(mainText(checkInPage.text)).toContain('チェックイン 0 / 1名');
    const registration = await em.fork().findOneOrFail(Registration, { eventId: id, memberId: member.member.id });
    expect(checkInPage.text).toContain(`action="/admin/events/${id}/check-in/${registration.id}"`);
    const tap = await submit(ops, `/admin/events/${id}/check-in/${registration.id}`, { q: '田中' }, `/admin/events/${id}/check-in`);
    expect(tap.headers.location).toBe(`/admin/events/${id}/check-in?q=${encodeURIComponent('田中')}#r-${registration.id}`);
    const after = await follow(ops, tap);
    expect(mainText(after.text)).toContain('チェックイン 1 / 1名');
    expect(mainText(after.text)).toContain('チェックインしました');
    const again = await submit(ops, `/admin/events/${id}/check-in/${registration.id}`, {}, `/admin/events/${id}/check-in`);
    expect(mainText((await follow(ops, again)).text)).toContain('すでにチェックイン済みです');
    const none = await ops.get(`/admin/events/${id}/check-in?q=${encodeURIComponent('山本')}`).expect(200);
    expect(mainText(none.text)).toContain('該当する参加者はいません');

    // After the event the list shows its attendance rate.
    const moved = await submit(ops, `/admin/events/${id}`, form({ startsAt: tokyo(-1, '18:30'), endsAt: tokyo(-1, '21:00') }), `/admin/events/${id}/edit`);
    expect(moved.headers.location).toBe(`/admin/events/${id}/edit`);
    const past = await ops.get('/admin/events?state=past').expect(200);
    expect(mainText(past.text)).toContain('丸の内アルムナイ交流会');
    expect(mainText(past.text)).toContain('100%（1 / 1名）');
    const attendance = await ops.get(`/admin/events/${id}/attendees`).expect(200);
    expect(mainText(attendance.text)).toContain('1名（同伴者を含め2名）');
  });

  it('shows every problem of the event form at its field, keeps what was typed, and never answers 500', async () => {
    const res = await submit(ops, '/admin/events', form({ title: '', endsAt: tokyo(14, '17:00'), deadlineAt: tokyo(15, '10:00'), feeYen: '-500', capacity: '0', maxCompanions: '11', format: 'hybrid', onlineUrl: 'javascript:alert(1)', place: '', notes: '<script>x</script>' }), '/admin/events/new');
    expect([res.status, res.headers.location]).toEqual([303, '/admin/events/new']);
    const page = await follow(ops, res);
    expect(page.status).toBe(200);
    const text = mainText(page.text);
    for (const message of [
      'タイトルを入力してください。',
      '終了日時は開始日時より後にしてください。',
      '申込締切は開始日時より前（または同時刻）にしてください。',
      '参加費は0円以上で入力してください。',
      '定員は1以上にするか、空欄（定員なし）にしてください。',
      '同伴者の上限は0〜10名で入力してください。',
      'http:// または https:// で始まるURLを入力してください。',
      '会場開催・ハイブリッドのイベントには会場を入力してください。',
    ]) expect(text).toContain(message);
    expect(page.text).toContain('id="f-capacity" name="capacity" type="number" value="0"');
    expect(page.text).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(page.text).not.toContain('<script>x</script>');
    expect(await em.fork().count(Event, {})).toBe(1);

    // The same form in English.
    const en = browser(app).set('Accept-Language', 'en');
    await signIn(en, operator.email, operator.password);
    const enRes = await submit(en, '/admin/events', form({ feeYen: '1000', paymentNote: '', endsAt: form().startsAt }), '/admin/events/new');
    const enText = mainText((await follow(en, enRes)).text);
    expect(enText).toContain('Say how to pay, as the event has a fee.');
    expect(enText).toContain('The end must be after the start.');

    // Odd input: arrays, unknown fields, wrong types.
    const odd = await submit(ops, '/admin/events', { ...form(), 'title[]': 'x', extra: '1' } as Record<string, string>, '/admin/events/new');
    expect(odd.status).toBe(303);
    expect((await follow(ops, odd)).status).toBe(200);
  });

  it('refuses a capacity below the confirmed seats, a cancel without a reason, and closes a cancelled event', async () => {
    const id = await createEvent({ capacity: '5', maxCompanions: '2' });
    await submit(ops, `/admin/events/${id}/publish`, {}, `/admin/events/${id}/edit`);
    await submit(alumna, `/events/${id}/register`, { companions: '2' }, `/events/${id}`);

    const smaller = await submit(ops, `/admin/events/${id}`, form({ capacity: '2', maxCompanions: '2', title: '名前も変える' }), `/admin/events/${id}/edit`);
    expect(smaller.headers.location).toBe(`/admin/events/${id}/edit`);
    const page = await follow(ops, smaller);
    expect(mainText(page.text)).toContain('すでに3席が参加確定のため、定員を3未満にはできません。');
    expect(page.text).toContain('value="名前も変える"');
    expect((await em.fork().findOneOrFail(Event, { id })).capacity).toBe(5);

    const noReason = await submit(ops, `/admin/events/${id}/cancel`, { reason: '  ' }, `/admin/events/${id}/edit`);
    expect(mainText((await follow(ops, noReason)).text)).toContain('中止の理由を入力してください。');
    expect((await em.fork().findOneOrFail(Event, { id })).state).toBe('published');

    const cancelled = await submit(ops, `/admin/events/${id}/cancel`, { reason: '会場の都合により中止します。' }, `/admin/events/${id}/edit`);
    const after = mainText((await follow(ops, cancelled)).text);
    expect(after).toContain('イベントを中止しました');
    expect(after).toContain('会場の都合により中止します。');
    expect(after).not.toContain('変更を保存');
    const edit = await submit(ops, `/admin/events/${id}`, form(), `/admin/events/${id}/edit`);
    expect(mainText((await follow(ops, edit)).text)).toContain('このイベントは中止されているため、変更できません。');
    const checkIn = await ops.get(`/admin/events/${id}/check-in`).expect(200);
    expect(mainText(checkIn.text)).toContain('このイベントは中止されたため、受付できません。');
    expect(checkIn.text).not.toContain('/check-in/');
  });

  it('answers odd addresses and parameters with a page, never a 500', async () => {
    const id = await createEvent();
    expect((await ops.get('/admin/events/not-a-uuid/edit')).status).toBe(404);
    expect((await ops.get('/admin/events/00000000-0000-4000-8000-000000000000/edit')).status).toBe(404);
    expect((await ops.get('/admin/events/00000000-0000-4000-8000-000000000000/attendees.csv')).status).toBe(404);
    expect((await ops.get('/admin/events?state=everything')).status).toBe(400);
    expect((await ops.get('/admin/events?page=-1')).status).toBe(400);
    expect((await ops.get(`/admin/events/${id}/check-in?q=${'あ'.repeat(200)}`)).status).toBe(400);
    const wrong = await submit(ops, `/admin/events/${id}/check-in/00000000-0000-4000-8000-000000000000`, {}, `/admin/events/${id}/check-in`);
    expect(wrong.status).toBe(404);
    const bad = await submit(ops, `/admin/events/${id}/check-in/x`, {}, `/admin/events/${id}/check-in`);
    expect(bad.status).toBe(404);
  });

  it('keeps members out of every operator page and action', async () => {
    const id = await createEvent();
    for (const path of ['/admin/events', '/admin/events/new', `/admin/events/${id}/edit`, `/admin/events/${id}/attendees`, `/admin/events/${id}/attendees.csv`, `/admin/events/${id}/check-in`]) {
      const res = await alumna.get(path);
      expect([path, res.status]).toEqual([path, 403]);
    }
    for (const path of ['/admin/events', `/admin/events/${id}`, `/admin/events/${id}/publish`, `/admin/events/${id}/cancel`]) {
      const res = await submit(alumna, path, { ...form(), reason: 'x' }, '/');
      expect([path, res.status]).toEqual([path, 403]);
    }
    const event = await em.fork().findOneOrFail(Event, { id });
    expect([event.state, event.title]).toEqual(['draft', '丸の内アルムナイ交流会']);
    const anonymous = await browser(app).get('/admin/events');
    expect([anonymous.status, anonymous.headers.location]).toEqual([303, '/login?next=%2Fadmin%2Fevents']);
  });
});
