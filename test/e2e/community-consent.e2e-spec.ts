import { EntityManager } from '@mikro-orm/postgresql';
import { RequestContext } from '@mikro-orm/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IntegrationEvent } from '@libs/outbox/integration-event';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { runOnce } from '@libs/outbox/run-once';
import { UpdateListingOnConsentChangedHandler } from '@modules/membership/application/community-listing/update-listing-on-consent-changed.handler';
import { PrivacyEvents } from '@modules/privacy/contracts';
import { CONSENT_TEXT_VERSIONS } from '@modules/privacy/domain/consent-text';
import { buildMember, type BuiltMember } from '../factories/member.factory';
import { browser, csrfToken, signIn, type Agent } from '../support/http';
import { mainText } from '../support/html';
import { bootWebApp, resetDatabase } from '../support/test-app';

describe('community consent over HTTP: withdrawn → hidden from other members, kept for the member and HR', () => {
  let app: NestExpressApplication;
  let em: EntityManager;
  let subject: BuiltMember;
  const agents: Record<'subject' | 'other' | 'admin', Agent> = {} as never;
  const ran = new Set<string>();

  /** What the worker does with the consent events waiting in the outbox: Membership's reaction, once each. */
  async function runWorker(): Promise<void> {
    const handler = app.get(UpdateListingOnConsentChangedHandler, { strict: false });
    for (const row of await em.fork().find(OutboxMessage, { name: PrivacyEvents.consentChanged }, { orderBy: { createdAt: 'asc' } })) {
      if (ran.has(row.id)) continue;
      ran.add(row.id);
      const event = row.payload as unknown as IntegrationEvent;
      await RequestContext.create(em.fork(), () => runOnce(em, `${UpdateListingOnConsentChangedHandler.name}:${event.eventId}`, (tx) => handler.handle(event as never, tx)));
    }
  }

  async function decide(decision: 'give' | 'withdraw') {
    const token = await csrfToken(agents.subject, '/account/privacy');
    const res = await agents.subject.post('/account/privacy/consents').type('form').send({ _csrf: token, purpose: 'community', decision, version: CONSENT_TEXT_VERSIONS.community });
    expect(res.status).toBe(303);
    await runWorker();
  }

  const directory = (a: Agent) => a.get('/members?q=%E7%99%BD%E7%9F%B3').expect(200);

  beforeAll(async () => {
    app = await bootWebApp();
    em = app.get(EntityManager);
    await resetDatabase(em);
    subject = await buildMember(em.fork(), { status: 'alumni', familyName: '白石', givenName: '葵', familyNameKana: 'シライシ', givenNameKana: 'アオイ' });
    const other = await buildMember(em.fork(), { status: 'employee' });
    const admin = await buildMember(em.fork(), { status: 'employee', role: 'admin' });
    for (const [name, m] of [['subject', subject], ['other', other], ['admin', admin]] as const) {
      agents[name] = browser(app);
      await signIn(agents[name], m.email, m.password);
    }
  }, 60_000);
  afterAll(() => app.close());

  it('explains on /account/privacy what withdrawing community consent means, in Japanese and English', async () => {
    expect(mainText((await agents.subject.get('/account/privacy').expect(200)).text)).toContain('取り消すと、あなたは会員検索に出なくなり、他の会員はあなたのプロフィールを見られなくなります。');
    const en = await agents.subject.get('/account/privacy').set('Accept-Language', 'en').expect(200);
    expect(mainText(en.text)).toContain('If you withdraw it, you no longer appear in the member directory and other members cannot see your profile.');
  });

  it('hides the member from the directory and their profile page, and shows them again on re-grant', async () => {
    const path = `/members/${subject.member.id}`;
    expect(mainText((await directory(agents.other)).text)).toContain('白石 葵');
    expect((await agents.other.get(path)).status).toBe(200);

    await decide('withdraw');
    expect(mainText((await directory(agents.other)).text)).not.toContain('白石 葵');
    expect((await agents.other.get(path)).status).toBe(404);
    expect((await agents.other.get(`/api/v1/members/${subject.member.id}`)).status).toBe(404);
    // The member sees their own page, with a note; HR sees them with a note too, and in the HR console.
    const own = await agents.subject.get(path).expect(200);
    expect(mainText(own.text)).toContain('あなたのプロフィールは他の会員には表示されず');
    const hr = await agents.admin.get(path).expect(200);
    expect(mainText(hr.text)).toContain('この会員はコミュニティへの掲載の同意を取り消しています。');
    expect(mainText((await agents.admin.get('/admin/members?q=%E7%99%BD%E7%9F%B3').expect(200)).text)).toContain('白石 葵');

    await decide('give');
    expect(mainText((await directory(agents.other)).text)).toContain('白石 葵');
    const again = await agents.other.get(path).expect(200);
    expect(again.text).not.toContain('id="not-listed"');
  });
});
