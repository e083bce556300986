import { readFileSync } from 'node:fs';
import * as iconv from 'iconv-lite';
import { join } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { RequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MailMessage } from '@libs/mail/mail-message.entity';
import { Invitation } from '@modules/membership/domain/invitation.entity';
import { Member } from '@modules/membership/domain/member.entity';
import { RosterEntry } from '@modules/membership/domain/roster-entry.entity';
import { RosterImport } from '@modules/membership/domain/roster-import.entity';
import { ApplyRosterImportCommand } from '@modules/membership/application/roster-import';
import { buildMember, type BuiltMember } from '../factories/member.factory';
import { browser, csrfToken, follow, signIn, type Agent } from '../support/http';
import { decode, mainText } from '../support/html';
import { bootWebApp, resetDatabase } from '../support/test-app';

const FIXTURES = join(__dirname, '..', '..', 'src', 'modules', 'membership', 'roster', 'fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const HEADER = '社員番号,姓,名,セイ,メイ,メールアドレス,部署,役職,入社日,退職日';

/** The messages under the upload form's file field. */
function fileError(html: string): string {
  const block = /id="f-file-error"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1];
  if (block === undefined) throw new Error('No file field on the page');
  return decode(block.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).trim();
}

/** The rows of a table on the page, each as its cells' text. */
function tableRows(html: string, id: string): string[][] {
  const table = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(html)?.[1];
  if (!table) return [];
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => decode(cell[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).trim()),
  );
}

/** The number on each kind's card: invite, leave, update, unchanged, skipped. */
function counts(html: string): Record<string, number> {
  return Object.fromEntries([...html.matchAll(/data-kind="(\w+)">\s*<div class="num">(\d+)<\/div>/g)].map((m) => [m[1], Number(m[2])]));
}

describe('HR roster import over HTTP: upload → preview → confirm → progress → result', () => {
  let app: NestExpressApplication;
  let em: EntityManager;
  let admin: BuiltMember;
  let a: Agent;

  beforeAll(async () => {
    app = await bootWebApp();
    em = app.get(EntityManager);
  });
  beforeEach(async () => {
    await resetDatabase(em);
    admin = await buildMember(em.fork(), { status: 'employee', role: 'admin', familyName: '人事', givenName: '花子' });
    a = browser(app);
    await signIn(a, admin.email, admin.password);
  });
  afterAll(() => app.close());

  async function upload(agent: Agent, file: Buffer, filename = 'roster.csv') {
    const token = await csrfToken(agent, '/admin/roster-imports');
    return agent.post(`/admin/roster-imports?_csrf=${encodeURIComponent(token)}`).attach('file', file, { filename, contentType: 'text/csv' });
  }

  async function post(agent: Agent, path: string, page: string) {
    const token = await csrfToken(agent, page);
    return agent.post(path).type('form').send({ _csrf: token });
  }

  /** Runs the job as the worker does, calling `during` after each batch (the page is read from there). */
  function runJob(importId: string, options: ConstructorParameters<typeof ApplyRosterImportCommand>[1] = {}) {
    return RequestContext.create(em.fork(), () => app.get(CommandBus).execute(new ApplyRosterImportCommand(importId, options)));
  }

  it('takes an admin from the upload form to the finished import, with live progress', async () => {
    await buildMember(em.fork(), { status: 'employee', email: 'ichiro.sato@example.co.jp', familyName: '佐藤', givenName: '一郎' });
    await buildMember(em.fork(), { status: 'alumni', email: 'misaki.tanaka@example.co.jp', familyName: '田中', givenName: '美咲' });

    const form = await a.get('/admin/roster-imports').expect(200);
    expect(form.text).toContain('enctype="multipart/form-data"');
    expect(mainText(form.text)).toContain('まだ取込はありません。');

    const uploaded = await upload(a, fixture('roster-utf8-lf.csv'), '人事データ_2025年3月.csv');
    expect(uploaded.status).toBe(303);
    const importId = /^\/admin\/roster-imports\/([0-9a-f-]{36})$/.exec(uploaded.headers.location)?.[1] as string;
    expect(importId).toBeDefined();

    const previewPage = await follow(a, uploaded);
    expect(previewPage.status).toBe(200);
    const preview = mainText(previewPage.text);
    expect(preview).toContain('ファイルを読み込みました。内容を確認してから確定してください。');
    expect(preview).toContain('人事データ_2025年3月.csv');
    expect(preview).toContain('確認待ち');
    expect(counts(previewPage.text)).toEqual({ invite: 1, leave: 1, update: 1, unchanged: 0, skipped: 1 });
    expect(tableRows(previewPage.text, 'roster-changes')).toEqual([
      ['2', 'K001', '佐藤 一郎', 'ichiro.sato@example.co.jp', '退職（アルムナイへ）', '退職日 ： （なし） → から 2025/03/31 会員との紐付け'],
      ['3', 'K002', '鈴木 花子', 'hanako.suzuki@example.co.jp', '招待', ''],
      ['4', 'K003', '高橋 健', 'ken.takahashi@example.co.jp', '招待しない（退職済み）', ''],
      ['5', 'K004', '田中 美咲', 'misaki.tanaka@example.co.jp', '更新', '会員との紐付け'],
    ]);
    expect(previewPage.text).toContain(`action="/admin/roster-imports/${importId}/confirm"`);
    expect(previewPage.text).not.toContain('http-equiv="refresh"');
    // Nothing was written by the preview.
    expect(await em.fork().count(RosterEntry)).toBe(0);

    const confirmed = await post(a, `/admin/roster-imports/${importId}/confirm`, `/admin/roster-imports/${importId}`);
    expect([confirmed.status, confirmed.headers.location]).toEqual([303, `/admin/roster-imports/${importId}`]);
    const queued = await follow(a, confirmed);
    expect(mainText(queued.text)).toContain('取込を開始しました。');
    expect(mainText(queued.text)).toContain('開始を待っています。');
    expect(queued.text).toContain('<meta http-equiv="refresh" content="2">');
    expect(queued.text).toMatch(/<progress id="roster-progress" max="4" value="0"/);
    expect(queued.text).not.toContain(`/admin/roster-imports/${importId}/confirm`);

    const during: string[] = [];
    await runJob(importId, {
      batchSize: 2,
      onProgress: async () => {
        const page = await a.get(`/admin/roster-imports/${importId}`).expect(200);
        during.push(`${/<progress id="roster-progress" max="(\d+)" value="(\d+)"/.exec(page.text)?.slice(1).join('/')} ${/id="roster-progress-text">([^<]*)</.exec(page.text)?.[1]} ${page.text.includes('http-equiv="refresh"')}`);
      },
    });
    expect(during).toEqual(['4/2 4行のうち2行を処理しました（50%）。 true', '4/4 4行のうち4行を処理しました（100%）。 true']);

    const result = await a.get(`/admin/roster-imports/${importId}`).expect(200);
    expect(result.text).not.toContain('http-equiv="refresh"');
    expect(mainText(result.text)).toContain('取込が完了しました。');
    expect(mainText(result.text)).toContain('取込の結果');
    expect(counts(result.text)).toEqual({ invite: 1, leave: 1, update: 1, unchanged: 0, skipped: 1 });
    expect((await em.fork().findOneOrFail(Member, { email: 'ichiro.sato@example.co.jp' })).status).toBe('alumni');
    // 佐藤 left on 2025-03-31 and has no personal address: no mail to the dead company inbox; HR is told where to look.
    expect(await em.fork().count(MailMessage, { template: 'membership/left-company' })).toBe(0);
    expect(mainText(result.text)).toContain('退職日を過ぎていて個人のメールアドレスが登録されていない退職者1人には');
    expect(decode(result.text)).toContain('href="/admin/members?status=alumni&contact=missing"');
    const unreachable = await a.get('/admin/members?status=alumni&contact=missing').expect(200);
    expect(mainText(unreachable.text)).toContain('佐藤 一郎');
    expect(mainText(unreachable.text)).toContain('個人アドレス未登録');
    expect(await em.fork().count(Invitation, { email: 'hanako.suzuki@example.co.jp' })).toBe(1);

    // The invitation page greets the new employee with the names HR gave.
    const mail = await em.fork().findOneOrFail(MailMessage, { to: 'hanako.suzuki@example.co.jp', template: 'membership/invitation' });
    const invitationPage = await browser(app).get(new URL(/https?:\/\/\S+\/invitations\/[\w-]+/.exec(mail.text)?.[0] as string).pathname).expect(200);
    for (const [field, value] of [['familyName', '鈴木'], ['givenName', '花子'], ['familyNameKana', 'スズキ'], ['givenNameKana', 'ハナコ']]) {
      expect(decode(new RegExp(`<input id="f-${field}" name="${field}" type="text" value="([^"]*)"`).exec(invitationPage.text)?.[1] ?? '')).toBe(value);
    }

    const list = await a.get('/admin/roster-imports').expect(200);
    expect(tableRows(list.text, 'roster-imports').map((cells) => cells.slice(1))).toEqual([
      ['人事データ_2025年3月.csv', '完了', '4行： 招待 1 ・ 退職（アルムナイへ） 1 ・ 更新 1 ・ 変更なし 0 ・ 招待しない（退職済み） 1', '人事 花子'],
    ]);

    // The same file again: nothing to change, and the list and the result say so.
    const againRes = await upload(a, fixture('roster-utf8-lf.csv'), 'again.csv');
    const again = await follow(a, againRes);
    expect(counts(again.text)).toEqual({ invite: 0, leave: 0, update: 0, unchanged: 4, skipped: 0 });
    expect(mainText(again.text)).toContain('変更はありません。この内容はすでに取り込まれています。');
    const againId = againRes.headers.location.split('/').pop() as string;
    await post(a, `/admin/roster-imports/${againId}/confirm`, `/admin/roster-imports/${againId}`);
    await runJob(againId);
    const againResult = await a.get(`/admin/roster-imports/${againId}`).expect(200);
    expect(mainText(againResult.text)).toContain('取込の結果');
    expect(counts(againResult.text)).toEqual({ invite: 0, leave: 0, update: 0, unchanged: 4, skipped: 0 });
    const listed = tableRows((await a.get('/admin/roster-imports').expect(200)).text, 'roster-imports').map((cells) => cells.slice(1));
    expect(listed[0]).toEqual(['again.csv', '完了', '4行： 招待 0 ・ 退職（アルムナイへ） 0 ・ 更新 0 ・ 変更なし 4 変更なし（すべて取込済み）', '人事 花子']);
    expect(listed[1][2]).not.toContain('すべて取込済み');
  });

  it('shows the old and the new value of every field a row changes, in the page language, escaped', async () => {
    await buildMember(em.fork(), { status: 'employee', email: 'jiro.ito@example.co.jp', familyName: '伊藤', givenName: '次郎' });
    const importFile = async (csv: string) => {
      const res = await upload(a, Buffer.from(`${HEADER}\n${csv}\n`));
      expect(res.status).toBe(303);
      return res.headers.location.split('/').pop() as string;
    };
    const apply = async (importId: string) => {
      await post(a, `/admin/roster-imports/${importId}/confirm`, `/admin/roster-imports/${importId}`);
      await runJob(importId);
    };
    // The first import links the employee.
    await apply(await importFile('K100,伊藤,次郎,イトウ,ジロウ,jiro.ito@example.co.jp,営業部,,2015/4/1,'));

    // They leave, and HR renamed their department on the way out.
    const leaving = await importFile('K100,伊藤,次郎,イトウ,ジロウ,jiro.ito@example.co.jp,<b>営業本部</b>,課長,2015/4/1,2025/3/31');
    const preview = await a.get(`/admin/roster-imports/${leaving}`).expect(200);
    expect(tableRows(preview.text, 'roster-changes')).toEqual([
      ['2', 'K100', '伊藤 次郎', 'jiro.ito@example.co.jp', '退職（アルムナイへ）', '部署 ： 営業部 → から <b>営業本部</b> 役職 ： （なし） → から 課長 退職日 ： （なし） → から 2025/03/31'],
    ]);
    expect(preview.text).toContain('&lt;b&gt;営業本部&lt;/b&gt;');
    expect(preview.text).not.toContain('<b>営業本部</b>');
    await apply(leaving);

    // A corrected leaving date: the update names both dates, in English for an admin who reads English.
    const corrected = await importFile('K100,伊藤,次郎,イトウ,ジロウ,jiro.ito@example.co.jp,<b>営業本部</b>,課長,2015/4/1,2025/4/30');
    a.set('Accept-Language', 'en');
    const page = await a.get(`/admin/roster-imports/${corrected}`).expect(200);
    expect(tableRows(page.text, 'roster-changes')).toEqual([
      ['2', 'K100', '伊藤 次郎', 'jiro.ito@example.co.jp', 'Update', 'Leaving date : 31 Mar 2025 → to 30 Apr 2025'],
    ]);
    expect(page.text).toMatch(/<li data-field="leftOn">[\s\S]*?<span aria-hidden="true">→<\/span>/);
  });

  it('tells HR when a leaver set by hand could not be mailed, and lists them as having no personal address', async () => {
    const leaver = await buildMember(em.fork(), { status: 'employee', email: 'old.inbox@example.co.jp', familyName: '森', givenName: '健' });
    const page = `/admin/members/${leaver.member.id}`;
    const token = await csrfToken(a, page);
    const res = await a.post(`${page}/status`).type('form').send({ _csrf: token, status: 'alumni', departedOn: '2020-03-31' });
    expect([res.status, res.headers.location]).toEqual([303, page]);
    const shown = mainText((await follow(a, res)).text);
    expect(shown).toContain('在籍区分を変更しました。退職日を過ぎていて個人のメールアドレスが登録されていないため、会社のアドレスには退職のご案内メールを送っていません。');
    expect(shown).toContain('個人アドレス未登録');
    expect(await em.fork().count(MailMessage, { to: 'old.inbox@example.co.jp' })).toBe(0);
    const list = await a.get('/admin/members?status=alumni&contact=missing').expect(200);
    expect(mainText(list.text)).toContain('森 健');
    expect(list.text).toContain('<option value="missing" selected>');
  });

  it('keeps what HR wrote: a CP932 row with ①, ㈱, Ⅱ and half-width kana is stored and shown unchanged', async () => {
    const department = 'ｶﾌﾞｼｷｶﾞｲｼｬ 第Ⅱ営業部';
    const position = '①担当㈱';
    const file = iconv.encode(`${HEADER}\r\nK900,髙橋,一郎,タカハシ,イチロウ,ichiro.takahashi@example.co.jp,${department},${position},2010/4/1,\r\n`, 'cp932');
    expect(iconv.decode(file, 'cp932')).toContain(department); // every character exists in CP932

    const uploaded = await upload(a, file);
    const importId = uploaded.headers.location.split('/').pop() as string;
    expect(tableRows((await follow(a, uploaded)).text, 'roster-changes')).toEqual([['2', 'K900', '髙橋 一郎', 'ichiro.takahashi@example.co.jp', '招待', '']]);
    await post(a, `/admin/roster-imports/${importId}/confirm`, `/admin/roster-imports/${importId}`);
    await runJob(importId);
    expect(await em.fork().findOneOrFail(RosterEntry, { employeeNumber: 'K900' })).toMatchObject({ familyName: '髙橋', department, position });

    // The new employee accepts the invitation; the profile takes HR's department and position as written.
    const mail = await em.fork().findOneOrFail(MailMessage, { to: 'ichiro.takahashi@example.co.jp', template: 'membership/invitation' });
    const path = new URL(/https?:\/\/\S+\/invitations\/[\w-]+/.exec(mail.text)?.[0] as string).pathname;
    const invitee = browser(app);
    const token = await csrfToken(invitee, path);
    const accepted = await invitee
      .post(path)
      .type('form')
      .set('Referer', `http://kizuna.test${path}`)
      .send({ _csrf: token, familyName: '髙橋', givenName: '一郎', familyNameKana: 'タカハシ', givenNameKana: 'イチロウ', password: 'invitee-Pass-2026' });
    expect(accepted.status).toBe(303);
    const member = await em.fork().findOneOrFail(Member, { email: 'ichiro.takahashi@example.co.jp' });

    const adminPage = mainText((await a.get(`/admin/members/${member.id}`).expect(200)).text);
    expect(adminPage).toContain('髙橋 一郎');
    expect(adminPage).toContain(department);
    const profilePage = mainText((await a.get(`/members/${member.id}`).expect(200)).text);
    expect(profilePage).toContain('髙橋 一郎');
    expect(profilePage).toContain(`${department} · ${position}`);

    // A row stored by an earlier version (NFKC-folded) is restored by importing the file again, and counts as updated.
    await em.fork().nativeUpdate(RosterEntry, { employeeNumber: 'K900' }, { department: 'カブシキガイシャ 第II営業部', position: '1担当(株)' });
    const again = await follow(a, await upload(a, file));
    expect(counts(again.text)).toEqual({ invite: 0, leave: 0, update: 1, unchanged: 0, skipped: 0 });
    const againId = /\/admin\/roster-imports\/([0-9a-f-]{36})/.exec(again.text)?.[1] ?? (await em.fork().find(RosterImport, {}, { orderBy: { createdAt: 'desc' }, limit: 1 }))[0].id;
    await post(a, `/admin/roster-imports/${againId}/confirm`, `/admin/roster-imports/${againId}`);
    await runJob(againId);
    expect(await em.fork().findOneOrFail(RosterEntry, { employeeNumber: 'K900' })).toMatchObject({ department, position });
  });

  it('lists every problem with its line and column in Shift_JIS files, and refuses to confirm', async () => {
    const res = await upload(a, fixture('roster-cp932-crlf.csv'));
    expect(res.status).toBe(303);
    const page = await follow(a, res);
    expect(mainText(page.text)).toContain('問題があるため、この取込は確定できません。');
    expect(mainText(page.text)).toContain('Shift_JIS（CP932）');
    expect(tableRows(page.text, 'roster-issues')).toEqual([['6', '退職日', '日付「2024-02-30」が正しくありません。2024-04-01や2024/4/1の形式で、実在する日付を入力してください。']]);
    expect(page.text).not.toContain('/confirm"');

    const importId = res.headers.location.split('/').pop() as string;
    const confirm = await post(a, `/admin/roster-imports/${importId}/confirm`, `/admin/roster-imports/${importId}`);
    expect([confirm.status, confirm.headers.location]).toEqual([303, `/admin/roster-imports/${importId}`]);
    expect(mainText((await follow(a, confirm)).text)).toContain('問題があるため、この取込は確定できません。');
    expect((await em.fork().findOneOrFail(RosterImport, { id: importId })).state).toBe('previewed');

    // Discarding leaves the import as a record only.
    const discarded = await post(a, `/admin/roster-imports/${importId}/discard`, `/admin/roster-imports/${importId}`);
    expect([discarded.status, discarded.headers.location]).toEqual([303, '/admin/roster-imports']);
    expect(mainText((await follow(a, discarded)).text)).toContain('プレビューを破棄しました。');
    expect(mainText((await a.get(`/admin/roster-imports/${importId}`)).text)).toContain('このプレビューは破棄されました。');
  });

  it('sends a file it cannot read back to the form with a clear message, never a 500', async () => {
    const cases: [Buffer, string][] = [
      [Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x42, 0x00, 0x0d, 0x00]), 'ファイルの文字コードを判別できませんでした。UTF-8またはShift_JISのCSVファイルで保存し直してください。'],
      [Buffer.from('社員番号,姓,名\nE1,山田,太郎\n'), '必須の列がありません：email (メールアドレス)。1行目に見出しがあるか確認してください。'],
      [Buffer.from(`${HEADER}\n`), '取り込むデータがありません。見出しの下にデータ行を入力してください。'],
      [Buffer.from(`${HEADER}\nE1,"山田,太郎,,,a@example.jp,,,,\n`), '2行目付近のCSVの形式が正しくありません。引用符（"）が閉じられているか確認してください。'],
      [Buffer.alloc(50 * 1024 * 1024, 0x61), 'ファイルが大きすぎます。10MB以下のファイルを選んでください。'],
    ];
    for (const [file, message] of cases) {
      const res = await upload(a, file);
      expect([res.status, res.headers.location]).toEqual([303, '/admin/roster-imports']);
      const back = await follow(a, res);
      expect(back.status).toBe(200);
      expect(fileError(back.text)).toBe(message);
    }
    // No file chosen at all.
    const token = await csrfToken(a, '/admin/roster-imports');
    const empty = await a.post(`/admin/roster-imports?_csrf=${encodeURIComponent(token)}`).field('note', 'x');
    expect(fileError((await follow(a, empty)).text)).toBe('取り込むCSVファイルを選んでください。');
    expect(await em.fork().count(RosterImport)).toBe(0);
  });

  it('speaks English to an admin who reads English', async () => {
    a.set('Accept-Language', 'en');
    const big = await upload(a, Buffer.alloc(10 * 1024 * 1024 + 1, 0x61));
    expect(fileError((await follow(a, big)).text)).toBe('The file is too large. Please choose a file of 10 MB or less.');
    const res = await upload(a, Buffer.from(`${HEADER}\nE1,山田,太郎,,,a@example.jp,,,2024/13/1,\nE1,田中,花子,,,b@example.jp,,,,\n`));
    const page = await follow(a, res);
    expect(mainText(page.text)).toContain('Because of these problems this import cannot be confirmed.');
    expect(tableRows(page.text, 'roster-issues')).toEqual([
      ['2', 'Hire date', '"2024/13/1" is not a valid date. Please enter a real date such as 2024-04-01 or 2024/4/1.'],
      ['3', 'Employee number', 'This employee number is already used on line 2.'],
    ]);
  });

  it('is for HR admins: operators are refused and nothing is stored', async () => {
    const operator = await buildMember(em.fork(), { status: 'employee', role: 'operator' });
    const o = browser(app);
    await signIn(o, operator.email, operator.password);
    expect((await o.get('/admin/roster-imports')).status).toBe(403);
    const token = await csrfToken(o, '/account');
    const res = await o.post(`/admin/roster-imports?_csrf=${encodeURIComponent(token)}`).attach('file', fixture('roster-utf8-lf.csv'), { filename: 'r.csv', contentType: 'text/csv' });
    expect(res.status).toBe(403);
    expect(await em.fork().count(RosterImport)).toBe(0);
    // Operators see no link to it on the dashboard; admins do.
    expect((await o.get('/admin')).text).not.toContain('/admin/roster-imports');
    expect((await a.get('/admin')).text).toContain('href="/admin/roster-imports"');
  });
});
