import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '@libs/security/access-policy';
import { ListMembersQuery } from '@modules/membership/contracts';
import { SeedDemoEventsCommand, type EventInput } from '../../contracts';
import { Event } from '../../domain/event.entity';
import { checkEventInput, utcToLocalDateTime } from '../../domain/event-schedule';
import { Registration } from '../../domain/registration.entity';

/** The seed reads the demo community's member list as the community office would. */
const SEED_VIEWER: Viewer = { memberId: '00000000-0000-4000-8000-000000000000', status: 'employee', role: 'admin', displayName: 'demo seed', locale: null, sessionVersion: 0 };

const DAY = 24 * 60 * 60 * 1000;

interface DemoEvent {
  input: Omit<EventInput, 'startsAt' | 'endsAt' | 'deadlineAt'>;
  /** Days from today and local times (Asia/Tokyo). */
  day: number;
  from: string;
  to: string;
  deadlineDays?: number;
  publish: boolean;
  confirmed: number;
  waitlisted?: number;
  checkedIn?: number;
  /** Companions per registration, cycled. */
  companions?: number[];
}

const DEMO_EVENTS: DemoEvent[] = [
  {
    input: {
      title: 'アルムナイ交流会 2026 秋',
      category: 'party', format: 'onsite', visibility: 'members', timeZone: 'Asia/Tokyo',
      place: '本社 20階 カフェテリア（東京都千代田区丸の内1-1-1）', feeYen: 3000, paymentNote: '当日受付で現金またはPayPayでお支払いください。', capacity: 40, maxCompanions: 0,
      description: '退職された皆さんと現役社員が集まる、年に一度の交流会です。\n\n- 近況報告のライトニングトーク\n- 部署ごとのテーブルで歓談', notes: '服装は自由です。名刺をお持ちください。', organiserName: '運営事務局',
    },
    day: -30, from: '19:00', to: '21:00', publish: true, confirmed: 12, checkedIn: 10,
  },
  {
    input: {
      title: 'オンライン交流会（関西エリア）',
      category: 'online-meetup', format: 'online', visibility: 'alumni', timeZone: 'Asia/Tokyo',
      onlineUrl: 'https://meet.example.jp/kansai-alumni', capacity: null, maxCompanions: 0,
      description: '関西在住のアルムナイが画面越しに集まる気軽な会です。', organiserName: '関西アルムナイ有志',
    },
    day: -7, from: '20:00', to: '21:00', publish: true, confirmed: 8, checkedIn: 6,
  },
  {
    input: {
      title: '生成AI活用勉強会 — 業務での使いどころ',
      category: 'seminar', format: 'online', visibility: 'members', timeZone: 'Asia/Tokyo',
      onlineUrl: 'https://meet.example.jp/genai-study', capacity: 100, maxCompanions: 0,
      description: '社内外で生成AIを使っている方の事例を聞き、質疑応答で深めます。\n\n**対象**：どなたでも（初心者歓迎）', notes: '事前に質問を受け付けています。', organiserName: 'DX推進室',
    },
    day: 10, from: '19:30', to: '21:00', deadlineDays: 9, publish: true, confirmed: 15,
  },
  {
    input: {
      title: '新本社オフィスツアー',
      category: 'office-tour', format: 'onsite', visibility: 'alumni', timeZone: 'Asia/Tokyo',
      place: '新本社 1階 エントランス（東京都港区芝浦3-4-5）', capacity: 8, maxCompanions: 0,
      description: '移転した新本社を総務部の案内でご覧いただけます。少人数のツアーです。', notes: '本人確認のため身分証をお持ちください。', organiserName: '総務部',
    },
    day: 20, from: '14:00', to: '16:00', publish: true, confirmed: 8, waitlisted: 4,
  },
  {
    input: {
      title: 'ファミリーデー（夏祭り）',
      category: 'family-day', format: 'onsite', visibility: 'members', timeZone: 'Asia/Tokyo',
      place: '本社 中庭', feeYen: 500, paymentNote: 'お子さまは無料です。大人お一人500円を当日受付でお支払いください。', capacity: 30, maxCompanions: 4,
      description: 'ご家族と一緒に楽しめる縁日と工作コーナーを用意しています。', notes: '動きやすい服装でお越しください。', organiserName: '運営事務局',
    },
    day: 35, from: '10:00', to: '15:00', publish: true, confirmed: 6, companions: [3, 2, 1, 4, 0, 2],
  },
  {
    input: {
      title: '年末チャリティー清掃ボランティア',
      category: 'volunteer', format: 'onsite', visibility: 'members', timeZone: 'Asia/Tokyo',
      place: '芝浦運河沿い（集合：新本社前）', capacity: 25, maxCompanions: 2,
      description: '地域の清掃活動に参加します。軍手とごみ袋は用意します。', organiserName: 'CSR推進室',
    },
    day: 50, from: '09:00', to: '11:30', publish: false, confirmed: 0,
  },
];

/** A demo event's date: `day` days from today (Asia/Tokyo) at the local time given. */
function localOn(day: number, time: string): string {
  const date = utcToLocalDateTime(new Date(Date.now() + day * DAY), 'Asia/Tokyo').slice(0, 10);
  return `${date}T${time}`;
}

/**
 * Demo events for the demo community: past ones with check-ins, upcoming ones with registrations, a full tour with
 * a waitlist, a family day with companions, an online seminar and a draft. Nothing is done once any event exists.
 * Registrations are written as they stand (no mails or reminders for demo data).
 */
@CommandHandler(SeedDemoEventsCommand)
export class SeedDemoEventsHandler implements ICommandHandler<SeedDemoEventsCommand> {
  constructor(
    private readonly em: EntityManager,
    private readonly queries: QueryBus,
  ) {}

  private async memberIds(filter: ConstructorParameters<typeof ListMembersQuery>[1]): Promise<string[]> {
    return (await this.queries.execute(new ListMembersQuery(SEED_VIEWER, filter, 1))).items.map((m) => m.memberId);
  }

  async execute(): Promise<{ created: number }> {
    if ((await this.em.count(Event, {})) > 0) return { created: 0 };
    const [operator] = await this.memberIds({ q: 'operator@example.jp' });
    const logins = [...(await this.memberIds({ q: 'alumni@example.jp' })), ...(await this.memberIds({ q: 'employee@example.jp' }))];
    const others = [...(await this.memberIds({ status: 'alumni' })), ...(await this.memberIds({ status: 'employee' }))].filter((id) => !logins.includes(id) && id !== operator);
    const people = [...logins, ...others];
    if (!operator || people.length === 0) return { created: 0 };

    let created = 0;
    for (const [index, demo] of DEMO_EVENTS.entries()) {
      const { details } = checkEventInput({
        ...demo.input,
        startsAt: localOn(demo.day, demo.from),
        endsAt: localOn(demo.day, demo.to),
        deadlineAt: demo.deadlineDays === undefined ? null : localOn(demo.deadlineDays, '23:59'),
      });
      if (!details) throw new Error(`Demo event ${demo.input.title} breaks the rules`);
      const event = Event.draft(details, operator);
      event.refreshSearch();
      if (demo.publish) event.publish(new Date(Date.now() + Math.min(demo.day - 20, -1) * DAY));
      this.em.persist(event);

      // Each event draws its attendees from a different part of the list; the demo logins come to the upcoming ones.
      const count = demo.confirmed + (demo.waitlisted ?? 0);
      const pool = demo.day > 0 ? people : others.length ? others : people;
      const chosen = Array.from({ length: Math.min(count, pool.length) }, (_, i) => pool[(i + (demo.day > 0 ? 0 : index * 7)) % pool.length]);
      const unique = [...new Set(chosen)];
      const seqs = unique.length
        ? (await this.em.execute<{ seq: string }[]>(`select nextval('events.registration_seq')::text as seq from generate_series(1, ?)`, [unique.length])).map((r) => r.seq)
        : [];
      unique.forEach((memberId, i) => {
        const confirmed = i < demo.confirmed;
        const companions = confirmed ? Math.min(demo.companions?.[i % demo.companions.length] ?? 0, details.maxCompanions) : 0;
        const registration = new Registration(event.id, memberId, confirmed ? 'confirmed' : 'waitlisted', companions, seqs[i]);
        registration.registeredAt = new Date(event.startsAt.getTime() - (20 - i * 0.5) * DAY);
        if (confirmed) {
          registration.confirmedAt = registration.registeredAt;
          event.confirmedSeats += registration.seats;
          if (i < (demo.checkedIn ?? 0)) registration.checkIn(operator, new Date(event.startsAt.getTime() - 10 * 60 * 1000 + i * 60 * 1000));
        } else {
          event.waitlistCount += 1;
        }
        this.em.persist(registration);
      });
      created++;
    }
    await this.em.flush();
    return { created };
  }
}
