import { randomUUID } from 'node:crypto';
import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@libs/database/array-literal';
import type { Viewer } from '@libs/security/access-policy';
import { ListMembersQuery } from '@modules/membership/contracts';
import { SeedDemoForumCommand, type BoardInput } from '../contracts';
import { postSearchKeys, renderPost } from '../domain/post-content';

const SEED_VIEWER: Viewer = { memberId: '00000000-0000-4000-8000-000000000000', status: 'employee', role: 'admin', displayName: 'demo seed', locale: null, sessionVersion: 0 };
const HOUR = 3_600_000;

interface DemoThread {
  title: string;
  /** Post bodies in order; the first starts the thread. Authors are drawn from the community in turn. */
  posts: string[];
  /** Hours ago the thread started; replies follow a few hours apart. */
  hoursAgo: number;
  pinned?: 'board' | 'site';
  byOperator?: boolean;
}

interface DemoBoard {
  board: BoardInput;
  threads: DemoThread[];
}

const b = (nameJa: string, nameEn: string, descriptionJa: string, descriptionEn: string, over: Partial<BoardInput> = {}): BoardInput => ({
  nameJa, nameEn, descriptionJa, descriptionEn, visibility: 'members', publicReadable: false, threadStarters: 'members', ...over,
});

export const DEMO_BOARDS: DemoBoard[] = [
  {
    board: b('お知らせ', 'Announcements', '事務局からのお知らせです。投稿は運営のみ、返信はどなたでも。', 'News from the community office. Only operators start threads; anyone may reply.', { threadStarters: 'operators', publicReadable: true }),
    threads: [
      {
        title: 'フォーラムの使い方とお願い',
        byOperator: true,
        pinned: 'site',
        hoursAgo: 24 * 40,
        posts: [
          'アルムナイ・コミュニティのフォーラムへようこそ。\n\n- テーマごとの**ボード**でスレッドを立てて話しましょう\n- 返信では `@名前` でメンバーに知らせることができます\n- 気になる投稿は「通報」から事務局へお知らせください\n\n個人情報（電話番号・住所など）は書き込まないようお願いします。',
          '分かりやすい説明ありがとうございます！さっそく使ってみます。',
        ],
      },
      {
        title: '年末年始の事務局対応について',
        byOperator: true,
        hoursAgo: 24 * 3,
        posts: ['12月28日から1月5日まで、事務局への問い合わせは1月6日以降に順次お返事します。フォーラムとイベント登録は期間中もご利用いただけます。'],
      },
    ],
  },
  {
    board: b('DX勉強会', 'DX study group', '生成AI、データ活用、業務改善のツールなど、DXの実践を共有するボードです。', 'Generative AI, data and tools for better work: share what works.'),
    threads: [
      {
        title: '生成AIを議事録作成に使っている方いますか？',
        hoursAgo: 24 * 6,
        posts: [
          '転職先で議事録の作成に生成AIを使い始めました。録音から要約までは速いのですが、固有名詞の誤変換が多くて結局手直ししています。皆さんはどう運用していますか？',
          'うちでは用語集（社内略語と人名の読み）を最初に渡してから要約させています。誤変換はかなり減りました。',
          '> 用語集を最初に渡して\n\nこれは良いですね。人事部の会議でも試してみます。',
          '機密情報の扱いだけは注意ですね。社外サービスに出してよい会議かどうか、最初に判断するルールを作りました。',
        ],
      },
      {
        title: 'スプレッドシートの関数からPythonへ移行した話',
        hoursAgo: 24 * 15,
        posts: [
          '経理の月次集計をスプレッドシートで回していましたが、行数が増えて重くなったのでPythonに移しました。\n\n```python\nimport pandas as pd\ndf = pd.read_csv("sales.csv")\nprint(df.groupby("部署")["売上"].sum())\n```\n\n最初の一歩としておすすめです。',
          '参考になります。社内勉強会で取り上げてもいいですか？',
          'もちろんです！資料も共有します。',
        ],
      },
    ],
  },
  {
    board: b('子育てと仕事', 'Parenting and work', '育児と仕事の両立について、経験や工夫を話しましょう。', 'Raising children and working: experience and tips.'),
    threads: [
      {
        title: '時短勤務から通常勤務に戻るタイミング',
        hoursAgo: 24 * 9,
        posts: [
          '子どもが小学校に上がるタイミングで通常勤務に戻るか迷っています。学童のお迎えが18時なので、在宅勤務との組み合わせ次第かなと。',
          'うちは2年生まで時短を続けました。夏休みの学童のお弁当づくりが想像以上に大変でした…',
          '会社の制度が変わって、今は小学3年生まで時短が使えるはずです。人事に確認してみてください。',
        ],
      },
    ],
  },
  {
    board: b('転職・キャリア相談', 'Careers', 'キャリアの相談、転職の経験談、出戻り（カムバック）についても。', 'Career questions, moving on, and coming back.'),
    threads: [
      {
        title: '出戻り入社を考えています',
        hoursAgo: 24 * 2,
        posts: [
          '5年前に退職して、今はSaaS企業で営業をしています。古巣の新規事業に興味があり、出戻りを考えています。経験された方、最初に誰に相談しましたか？',
          '私は元上司に連絡して、人事の方を紹介してもらいました。カムバック採用の窓口もあるので、まずは気軽に話を聞くのがいいと思います。',
        ],
      },
      {
        title: '30代後半からのキャリアチェンジ',
        hoursAgo: 24 * 20,
        posts: ['営業からデータ分析の仕事に移りたいと考えています。同じような経験の方、どんな勉強をしましたか？', '統計検定2級と、社内のデータを使った小さな分析から始めました。実務の成果を見せられると強いです。'],
      },
    ],
  },
  {
    board: b('関西支部', 'Kansai chapter', '関西在住・関西勤務のメンバーの交流ボードです。', 'For members living or working in Kansai.'),
    threads: [
      {
        title: '大阪でのオフ会、日程の希望を募ります',
        hoursAgo: 24 * 4,
        posts: ['年明けに梅田あたりで集まりませんか？ 1月後半の平日夜か土曜の昼を考えています。', '土曜の昼なら参加できます！', '平日夜が助かります。京都からなので19時以降だと嬉しいです。'],
      },
    ],
  },
  {
    board: b('社員ラウンジ', 'Employees lounge', '現役社員だけが読めるボードです。', 'Only current employees read this board.', { visibility: 'employees' }),
    threads: [{ title: '新オフィスの会議室予約のコツ', hoursAgo: 24 * 5, posts: ['新しい予約システム、朝9時に翌週分が開放されるので狙い目です。', '知りませんでした、ありがとうございます！'] }],
  },
  {
    board: b('アルムナイ広場', 'Alumni square', '退職したメンバー同士で話すボードです。', 'For alumni only.', { visibility: 'alumni' }),
    threads: [{ title: '退職後に始めた副業の話', hoursAgo: 24 * 12, posts: ['退職してから地域のNPOでプロボノを始めました。経理の経験が意外と役に立っています。', '素敵です。どうやって見つけましたか？', 'プロボノのマッチングサイト経由です。今度まとめて書きますね。'] }],
  },
];

/** The demo community's forum: boards of every kind and realistic threads, written by the demo members. */
@CommandHandler(SeedDemoForumCommand)
export class SeedDemoForumHandler implements ICommandHandler<SeedDemoForumCommand> {
  constructor(
    private readonly em: EntityManager,
    private readonly queries: QueryBus,
  ) {}

  private async memberIds(filter: ConstructorParameters<typeof ListMembersQuery>[1]): Promise<string[]> {
    return (await this.queries.execute(new ListMembersQuery(SEED_VIEWER, filter, 1))).items.map((m) => m.memberId);
  }

  async execute(): Promise<{ boards: number; threads: number }> {
    const [{ n }] = await this.em.fork().execute<{ n: string }[]>('select count(*) as n from networking.board');
    if (Number(n) > 0) return { boards: 0, threads: 0 };
    const [operator] = await this.memberIds({ q: 'operator@example.jp' });
    const alumni = await this.memberIds({ status: 'alumni' });
    const employees = await this.memberIds({ status: 'employee' });
    if (!operator || alumni.length + employees.length === 0) return { boards: 0, threads: 0 };
    const everyone = [...alumni.slice(0, 10), ...employees.slice(0, 10)];
    let threads = 0;
    await this.em.fork().transactional(async (tx) => {
      for (const [position, demo] of DEMO_BOARDS.entries()) {
        const boardId = randomUUID();
        const d = demo.board;
        await tx.execute(
          `insert into networking.board (id, name_ja, name_en, description_ja, description_en, visibility, public_readable, thread_starters, position, created_at)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, now() - interval '60 days')`,
          [boardId, d.nameJa, d.nameEn, d.descriptionJa, d.descriptionEn, d.visibility, d.publicReadable, d.threadStarters, position + 1],
        );
        const pool = d.visibility === 'alumni' ? alumni : d.visibility === 'employees' ? employees : everyone;
        for (const t of demo.threads) {
          const threadId = randomUUID();
          const start = Date.now() - t.hoursAgo * HOUR;
          const authors = t.posts.map((_, i) => (i === 0 && t.byOperator ? operator : pool[(threads * 3 + i) % pool.length] ?? operator));
          const times = t.posts.map((_, i) => new Date(Math.min(Date.now() - 60_000, start + i * 3 * HOUR)));
          await tx.execute(
            `insert into networking.thread (id, board_id, title, author_id, last_number, post_count, last_post_at, last_post_author_id, pinned, created_at)
             values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [threadId, boardId, t.title, authors[0], t.posts.length, t.posts.length, times[times.length - 1], authors[authors.length - 1], t.pinned ?? null, times[0]],
          );
          for (const [i, body] of t.posts.entries()) {
            const keys = postSearchKeys(body, i === 0 ? t.title : undefined);
            await tx.execute(
              `insert into networking.post (id, thread_id, board_id, number, author_id, body, html, created_at, search_tokens, search_text)
               values (?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?)`,
              [randomUUID(), threadId, boardId, i + 1, authors[i], body, renderPost(body), times[i], arrayLiteral(keys.tokens), keys.text],
            );
            await tx.execute(`insert into networking.thread_watch (member_id, thread_id, level) values (?, ?, 'watching') on conflict do nothing`, [authors[i], threadId]);
          }
          await tx.execute('update networking.board set thread_count = thread_count + 1, post_count = post_count + ?, last_post_at = greatest(last_post_at, ?), last_thread_id = case when last_post_at is null or last_post_at < ? then ? else last_thread_id end where id = ?', [
            t.posts.length,
            times[times.length - 1],
            times[times.length - 1],
            threadId,
            boardId,
          ]);
          threads++;
        }
      }
    });
    return { boards: DEMO_BOARDS.length, threads };
  }
}
