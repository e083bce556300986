import { randomUUID } from 'node:crypto';
import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '@libs/security/access-policy';
import { ListEventsQuery } from '@modules/events/contracts';
import { GetMemberNamesQuery, ListMembersQuery } from '@modules/membership/contracts';
import { SeedDemoContentCommand, type ContentInput } from '../contracts';
import { changedFields, cleanContentInput, renderComment } from '../domain/content-input';
import { ContentWriter } from './content-writer';

const SEED_VIEWER: Viewer = { memberId: '00000000-0000-4000-8000-000000000000', status: 'employee', role: 'admin', displayName: 'demo seed', locale: null, sessionVersion: 0 };
const DAY = 24 * 3_600_000;

type Who = 'operator' | 'employee' | 'alumnus' | 'alumnus2' | 'employee2';

interface DemoItem {
  by: Who;
  input: Omit<ContentInput, 'eventId'> & { eventTitle?: string };
  /** Days ago it went online; absent: not published. */
  publishedDaysAgo?: number;
  state?: 'submitted' | 'scheduled';
  /** Scheduled: days ahead. */
  inDays?: number;
  featured?: boolean;
  comments?: { by: Who | number; body: string; replies?: { by: Who | number; body: string }[] }[];
  /** How many members like it. */
  likes?: number;
}

const DEMO_ITEMS: DemoItem[] = [
  {
    by: 'operator',
    publishedDaysAgo: 40,
    featured: true,
    likes: 9,
    input: {
      type: 'news',
      title: 'アルムナイ・コミュニティ「Kizuna」を開設しました',
      summary: '退職された皆さんと現役社員がつながり続けるための公式コミュニティを開設しました。',
      body: '## プレスリリース\n\n当社は本日、退職された社員（アルムナイ）と現役社員がつながり続けるための公式コミュニティ「Kizuna」を開設しました。\n\n### 主な機能\n\n- 会員名簿とプロフィール（公開範囲は項目ごとに設定できます）\n- フォーラムとチャット\n- イベントの案内と申し込み\n- カムバック採用・ビジネス機会の紹介\n\n退職後も続く関係を、事業とキャリアの両面で大切にしていきます。\n\n**お問い合わせ**：広報部 press@example.jp',
      tags: ['プレスリリース', 'アルムナイ'],
      visibility: 'public',
      language: 'ja',
    },
  },
  {
    by: 'operator',
    publishedDaysAgo: 12,
    likes: 3,
    input: {
      type: 'news',
      title: '2026年度 第2四半期 決算説明会資料を掲載しました',
      summary: '売上高は前年同期比8.2%増。説明会の資料と質疑応答の要旨を掲載します。',
      body: '2026年度第2四半期の決算説明会を開催しました。\n\n| 項目 | 金額 | 前年同期比 |\n|---|---|---|\n| 売上高 | 1,284億円 | +8.2% |\n| 営業利益 | 142億円 | +11.5% |\n\n### 質疑応答の要旨\n\n> 人材への投資は今後も続けるのか\n\n中期経営計画のとおり、採用と育成への投資を続けます。アルムナイの再入社（カムバック採用）も重要な柱です。\n\n詳しくは[IR資料室](https://www.example.jp/ir)をご覧ください。',
      tags: ['IR', '決算'],
      visibility: 'public',
      language: 'ja',
    },
  },
  {
    by: 'operator',
    publishedDaysAgo: 5,
    likes: 5,
    input: {
      type: 'news',
      title: '本社移転のお知らせ（芝浦新本社）',
      summary: '2027年1月より、本社を東京都港区芝浦に移転します。オフィスツアーも予定しています。',
      body: '2027年1月4日より、本社を下記に移転します。\n\n- 新住所：東京都港区芝浦3-4-5\n- 最寄り駅：JR田町駅 徒歩6分\n\n移転後の新本社を見学できる**オフィスツアー**をアルムナイの皆さま向けに予定しています。イベントページからお申し込みください。',
      tags: ['本社移転', 'オフィス'],
      visibility: 'members',
      language: 'ja',
    },
  },
  {
    by: 'employee',
    publishedDaysAgo: 20,
    likes: 6,
    input: {
      type: 'industry',
      title: '生成AIの業務活用、国内企業の導入はどこまで進んだか',
      summary: '調査データから見る、国内企業の生成AI導入の現状と、現場でつまずきやすい点。',
      body: '国内企業の生成AI導入率は、この一年で大きく伸びました。一方で「試したが定着しない」という声も多く聞かれます。\n\n## 定着している使い方\n\n1. 議事録と要約\n2. 社内文書の検索\n3. コードのレビュー補助\n\n## つまずきやすい点\n\n- 機密情報を扱ってよいかの判断基準がない\n- 効果を測る指標を決めていない\n\n当社のDX推進室でも、まずは議事録から始めて効果を測っています。',
      tags: ['生成AI', 'DX'],
      visibility: 'members',
      language: 'ja',
    },
  },
  {
    by: 'employee2',
    publishedDaysAgo: 33,
    likes: 2,
    input: {
      type: 'industry',
      title: '人的資本開示の最新動向と、アルムナイという視点',
      summary: '有価証券報告書での人的資本開示が進むなか、退職者との関係を指標にする企業も出てきました。',
      body: '人的資本の開示は、定量的な指標を伴うものへと進んでいます。\n\n退職者を「失った人材」ではなく**社外にいる仲間**として捉え、再入社率や協業件数を開示する企業も現れました。アルムナイ・コミュニティはその土台になります。',
      tags: ['人的資本', '人事'],
      visibility: 'alumni',
      language: 'ja',
    },
  },
  {
    by: 'employee',
    publishedDaysAgo: 8,
    likes: 4,
    input: {
      type: 'column',
      title: '新任マネージャーとして最初の90日でやったこと',
      summary: 'メンバー全員との1on1、仕事の棚卸し、そして「やめること」を決めたこと。',
      body: '今年の4月にマネージャーになりました。最初の90日でやったことを振り返ります。\n\n## 1on1を全員と\n\n最初の2週間で、チーム8人全員と30分ずつ話しました。\n\n## やめることを決める\n\n定例会議を一つ減らし、その時間を顧客訪問に充てました。\n\n社内向けの記事なので、率直に書いています。',
      tags: ['マネジメント', 'キャリア'],
      visibility: 'employees',
      language: 'ja',
    },
  },
  {
    by: 'alumnus',
    publishedDaysAgo: 15,
    featured: false,
    likes: 12,
    input: {
      type: 'column',
      title: '退職して3年、外から見えた自社の強み',
      summary: '転職して初めて気づいた、品質へのこだわりと「最後までやりきる」文化の価値について。',
      body: '退職してから3年が経ちました。今はスタートアップで事業開発をしています。\n\n## 外から見えたこと\n\n社内では当たり前だった**品質へのこだわり**が、取引先からは高く評価されていました。「あの会社の出身なら安心だ」と言われたことも一度ではありません。\n\n## アルムナイとしてできること\n\n- 社外の視点をフィードバックする\n- 協業の橋渡しをする\n\nこのコミュニティが、その入り口になればと思います。',
      tags: ['キャリア', 'アルムナイ'],
      visibility: 'members',
      language: 'ja',
    },
    comments: [
      { by: 'employee', body: '外からの視点、とても参考になります。品質の話は営業部でも共有させてください。', replies: [{ by: 'alumnus', body: 'ぜひ！ 具体的な事例もお話しできます。' }] },
      { by: 2, body: '私も同じことを感じていました。「最後までやりきる」は本当に強みですね。' },
      { by: 3, body: '協業の橋渡し、興味があります。今度お茶でもいかがですか。' },
    ],
  },
  {
    by: 'alumnus2',
    publishedDaysAgo: 25,
    state: undefined,
    likes: 8,
    input: {
      type: 'event-report',
      eventTitle: 'アルムナイ交流会 2026 秋',
      title: 'アルムナイ交流会 2026 秋 レポート',
      summary: '40名が集まった年に一度の交流会。ライトニングトークと部署テーブルの様子をお届けします。',
      body: '本社20階のカフェテリアで、年に一度のアルムナイ交流会が開かれました。\n\n## ライトニングトーク\n\n5名のアルムナイが近況を5分ずつ話しました。起業した方、海外で働く方、再入社した方と、それぞれの道のりに会場から質問が相次ぎました。\n\n## 部署ごとのテーブル\n\n懐かしい顔ぶれとの再会に、あちこちで笑い声が上がっていました。\n\n次回もぜひご参加ください。',
      tags: ['交流会', 'アルムナイ', 'イベントレポート'],
      visibility: 'members',
      language: 'ja',
    },
    comments: [
      { by: 'operator', body: 'レポートありがとうございます！ 次回は関西でも開催を検討しています。' },
      { by: 4, body: '参加できなかったので様子が分かって嬉しいです。' },
    ],
  },
  {
    by: 'alumnus',
    publishedDaysAgo: 3,
    likes: 3,
    input: {
      type: 'column',
      title: 'Coming back: what I learned from my comeback hire',
      summary: 'After four years at two other companies, I rejoined. Here is what surprised me.',
      body: 'I left in 2021 and came back this spring through the comeback programme.\n\n## What surprised me\n\n- My old network still worked: people answered my first message within a day.\n- Onboarding was shorter, but the **tools had all changed**.\n\nIf you are thinking about coming back, talk to HR early: the conversation costs nothing.',
      tags: ['カムバック採用', 'キャリア'],
      visibility: 'members',
      language: 'en',
    },
  },
  {
    by: 'operator',
    state: 'scheduled',
    inDays: 3,
    input: {
      type: 'news',
      title: '年末年始の事務局休業のお知らせ',
      summary: '12月28日から1月5日まで、事務局の窓口をお休みします。',
      body: '12月28日（月）から1月5日（火）まで、事務局の窓口をお休みします。\n\n期間中もコミュニティのフォーラムとイベントの申し込みはご利用いただけます。お問い合わせへのお返事は1月6日以降、順次いたします。',
      tags: ['お知らせ'],
      visibility: 'public',
      language: 'ja',
    },
  },
  {
    by: 'alumnus2',
    state: 'submitted',
    input: {
      type: 'column',
      title: 'フリーランス2年目、会社員時代の経験が生きていること',
      summary: '見積もり、議事録、そして報連相。会社で身につけたことが、独立してから武器になりました。',
      body: '独立して2年目になりました。会社員時代の経験で、今も役立っていることを書きます。\n\n## 見積もりの作法\n\n工数を分解して根拠を示す習慣は、そのまま顧客の信頼につながっています。\n\n## 報連相\n\n小さな報告をこまめに。これだけで継続案件が増えました。',
      tags: ['フリーランス', 'キャリア'],
      visibility: 'members',
      language: 'ja',
    },
  },
];

/**
 * Demo content for the demo community: company news (a press release, IR, a notice), industry information, columns by
 * an employee and by alumni (one in English), an event report on a past demo event, with tags, every visibility, a
 * few comments and likes, one featured item, one scheduled and one waiting for review. Written as it stands (no
 * notices, no audit entries); nothing is done once any item exists.
 */
@CommandHandler(SeedDemoContentCommand)
export class SeedDemoContentHandler implements ICommandHandler<SeedDemoContentCommand> {
  constructor(
    private readonly em: EntityManager,
    private readonly queries: QueryBus,
  ) {}

  private async memberIds(filter: ConstructorParameters<typeof ListMembersQuery>[1]): Promise<string[]> {
    return (await this.queries.execute(new ListMembersQuery(SEED_VIEWER, filter, 1))).items.map((m) => m.memberId);
  }

  async execute(): Promise<{ created: number }> {
    const [{ n }] = await this.em.fork().execute<{ n: string }[]>('select count(*) as n from content.item');
    if (Number(n) > 0) return { created: 0 };
    const [operator] = await this.memberIds({ q: 'operator@example.jp' });
    const [employeeLogin] = await this.memberIds({ q: 'employee@example.jp' });
    const [alumnusLogin] = await this.memberIds({ q: 'alumni@example.jp' });
    const alumni = (await this.memberIds({ status: 'alumni' })).filter((id) => id !== alumnusLogin && id !== operator);
    const employees = (await this.memberIds({ status: 'employee' })).filter((id) => id !== employeeLogin && id !== operator);
    if (!operator) return { created: 0 };
    const cast: Record<Who, string> = {
      operator,
      employee: employeeLogin ?? employees[0] ?? operator,
      employee2: employees[0] ?? employeeLogin ?? operator,
      alumnus: alumnusLogin ?? alumni[0] ?? operator,
      alumnus2: alumni[0] ?? alumnusLogin ?? operator,
    };
    const everyone = [...new Set([...Object.values(cast), ...alumni.slice(0, 12), ...employees.slice(0, 12)])];
    const names = new Map((await this.queries.execute(new GetMemberNamesQuery(everyone, 'ja'))).map((m) => [m.memberId, m.displayName]));
    const who = (w: Who | number) => (typeof w === 'number' ? everyone[(w + 4) % everyone.length] : cast[w]);
    const past = await this.queries.execute(new ListEventsQuery(SEED_VIEWER, { tab: 'past' }, 1));

    let created = 0;
    await this.em.fork().transactional(async (tx) => {
      for (const [index, demo] of DEMO_ITEMS.entries()) {
        const eventId = demo.input.eventTitle ? (past.items.find((e) => e.title === demo.input.eventTitle)?.id ?? past.items[0]?.id) : null;
        if (demo.input.type === 'event-report' && !eventId) continue;
        const { eventTitle: _eventTitle, ...input } = demo.input;
        const fields = cleanContentInput({ ...input, eventId });
        const authorId = who(demo.by);
        const author = { id: authorId, name: names.get(authorId) ?? '' };
        const office = { id: operator, name: names.get(operator) ?? '' };
        const id = randomUUID();
        const createdAt = new Date(Date.now() - ((demo.publishedDaysAgo ?? 1) + 2) * DAY);
        await tx.execute(`insert into content.item (id, author_id, status, type, visibility, language, title, created_at) values (?, ?, 'draft', ?, ?, ?, ?, ?)`, [
          id,
          authorId,
          fields.type,
          fields.visibility,
          fields.language,
          fields.title,
          createdAt,
        ]);
        let versionId = await ContentWriter.addVersion(tx, id, fields, { action: 'create', by: author, changed: changedFields(null, fields) });
        if (demo.by !== 'operator') versionId = await ContentWriter.addVersion(tx, id, fields, { action: 'submit', by: author });
        await ContentWriter.copyToItem(tx, id, fields);
        if (demo.publishedDaysAgo !== undefined) {
          versionId = await ContentWriter.addVersion(tx, id, fields, { action: 'publish', by: office });
          const publishedAt = new Date(Date.now() - demo.publishedDaysAgo * DAY - index * 3_600_000);
          await ContentWriter.setItem(tx, id, {
            status: 'published',
            working_version_id: versionId,
            published_version_id: versionId,
            published_at: publishedAt,
            first_published_at: publishedAt,
            featured_at: demo.featured ? publishedAt : null,
          });
          await tx.execute(`update content.version set at = ? where item_id = ?`, [publishedAt, id]);
        } else if (demo.state === 'scheduled') {
          const at = new Date(Math.ceil((Date.now() + (demo.inDays ?? 3) * DAY) / 3_600_000) * 3_600_000);
          versionId = await ContentWriter.addVersion(tx, id, fields, { action: 'schedule', by: office });
          await ContentWriter.setItem(tx, id, { status: 'scheduled', working_version_id: versionId, scheduled_at: at });
          ContentWriter.schedule(tx, id, at);
        } else {
          await ContentWriter.setItem(tx, id, { status: 'submitted', working_version_id: versionId });
        }
        const start = Date.now() - (demo.publishedDaysAgo ?? 0) * DAY;
        let minutes = 60;
        let comments = 0;
        for (const c of demo.comments ?? []) {
          const commentId = randomUUID();
          await tx.execute('insert into content.comment (id, item_id, parent_id, author_id, body, html, created_at) values (?, ?, null, ?, ?, ?, ?)', [
            commentId,
            id,
            who(c.by),
            c.body,
            renderComment(c.body),
            new Date(Math.min(Date.now() - 60_000, start + (minutes += 95) * 60_000)),
          ]);
          comments++;
          for (const r of c.replies ?? []) {
            await tx.execute('insert into content.comment (id, item_id, parent_id, author_id, body, html, created_at) values (?, ?, ?, ?, ?, ?, ?)', [
              randomUUID(),
              id,
              commentId,
              who(r.by),
              r.body,
              renderComment(r.body),
              new Date(Math.min(Date.now() - 60_000, start + (minutes += 40) * 60_000)),
            ]);
            comments++;
          }
        }
        const likers = everyone.filter((m) => m !== authorId).slice(index % 3, (index % 3) + (demo.likes ?? 0));
        for (const [i, memberId] of likers.entries()) {
          await tx.execute('insert into content."like" (item_id, member_id, created_at) values (?, ?, ?) on conflict do nothing', [
            id,
            memberId,
            new Date(Math.min(Date.now() - 60_000, start + (i + 1) * 47 * 60_000)),
          ]);
        }
        await tx.execute('update content.item set comment_count = ?, like_count = ? where id = ?', [comments, likers.length, id]);
        created++;
      }
    });
    return { created };
  }
}
