import { randomUUID } from 'node:crypto';
import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@libs/database/array-literal';
import type { Viewer } from '@libs/security/access-policy';
import { ListMembersQuery } from '@modules/membership/contracts';
import { SeedDemoChatCommand, type ChannelInput } from '../contracts';
import { normalizeForSearch } from '@libs/search/japanese-text';
import { messageSearchKeys, renderMessage } from '../domain/chat-content';

const SEED_VIEWER: Viewer = { memberId: '00000000-0000-4000-8000-000000000000', status: 'employee', role: 'admin', displayName: 'demo seed', locale: null, sessionVersion: 0 };
const MINUTE = 60_000;

interface DemoChannel {
  channel: ChannelInput;
  /** Messages in order, written by the channel's members in turn; `minutesAgo` of the first, the rest a few minutes apart. */
  messages: string[];
  minutesAgo: number;
}

const ch = (nameJa: string, nameEn: string, descriptionJa: string, descriptionEn: string, audience: ChannelInput['audience'] = 'members'): ChannelInput => ({
  nameJa, nameEn, descriptionJa, descriptionEn, audience,
});

export const DEMO_CHANNELS: DemoChannel[] = [
  {
    channel: ch('雑談', 'General chat', '近況報告やちょっとした話題など、気軽にどうぞ。', 'Small talk and news: say hello.'),
    minutesAgo: 60 * 26,
    messages: [
      'チャンネルができたので、さっそく書いてみます。皆さんお元気ですか？',
      'お久しぶりです！ 先月から東京に戻ってきました。',
      'おかえりなさい。今度ランチでも行きましょう。',
      '最近、社内報のアーカイブが読めるようになったの知ってました？ 懐かしい写真がたくさんありました。',
      '見ました！ 2015年の運動会の写真、若すぎて笑いました😂',
    ],
  },
  {
    channel: ch('関西支部', 'Kansai chapter', '関西在住・関西勤務のメンバーの連絡用チャンネルです。', 'For members living or working in Kansai.'),
    minutesAgo: 60 * 8,
    messages: [
      '1月のオフ会、梅田駅近くのお店を仮押さえしました。土曜の12時からです。',
      'ありがとうございます！ 参加します。',
      '京都から行きます。子ども連れでも大丈夫なお店ですか？',
      '個室なので大丈夫ですよ。人数が決まったらまた連絡します。',
    ],
  },
  {
    channel: ch('転職・キャリア相談', 'Career talk', 'キャリアの相談や転職の体験談、カムバック採用の話もどうぞ。', 'Career questions, moving on and coming back.'),
    minutesAgo: 60 * 50,
    messages: [
      '職務経歴書の書き方で迷っています。在籍中のプロジェクトはどこまで具体的に書いていいものでしょうか。',
      '社外秘の数字は避けて、役割と成果を割合や規模感で書くのがおすすめです。',
      'カムバック採用の面談を受けた方、雰囲気はどうでしたか？',
      'かなりカジュアルでした。退職後の経験をどう活かせるかを中心に聞かれました。',
    ],
  },
  {
    channel: ch('アルムナイ交流', 'Alumni lounge', '退職したメンバー同士で話すチャンネルです。', 'For alumni only.', 'alumni'),
    minutesAgo: 60 * 30,
    messages: ['独立して2年になりました。会計まわりで困ったことがあれば相談に乗ります。', '心強いです！ 副業の確定申告で今まさに悩んでいます…', 'ぜひ気軽にDMください。'],
  },
];

/** The demo community's chat: channels of the Japanese community with a few messages by its demo members (once). */
@CommandHandler(SeedDemoChatCommand)
export class SeedDemoChatHandler implements ICommandHandler<SeedDemoChatCommand> {
  constructor(
    private readonly em: EntityManager,
    private readonly queries: QueryBus,
  ) {}

  private async memberIds(filter: ConstructorParameters<typeof ListMembersQuery>[1]): Promise<string[]> {
    return (await this.queries.execute(new ListMembersQuery(SEED_VIEWER, filter, 1))).items.map((m) => m.memberId);
  }

  async execute(): Promise<void> {
    const [{ n }] = await this.em.fork().execute<{ n: string }[]>(`select count(*) as n from networking.conversation where kind = 'channel'`);
    if (Number(n) > 0) return;
    const [operator] = await this.memberIds({ q: 'operator@example.jp' });
    const alumni = await this.memberIds({ status: 'alumni' });
    const employees = await this.memberIds({ status: 'employee' });
    if (alumni.length + employees.length === 0) return;
    const everyone = [...alumni.slice(0, 8), ...employees.slice(0, 8)];
    await this.em.fork().transactional(async (tx) => {
      for (const [index, demo] of DEMO_CHANNELS.entries()) {
        const id = randomUUID();
        const c = demo.channel;
        const pool = (c.audience === 'alumni' ? alumni.slice(0, 8) : everyone).filter((m) => m !== operator);
        if (pool.length === 0) continue;
        const authors = demo.messages.map((_, i) => pool[(index * 3 + i) % pool.length]);
        const times = demo.messages.map((_, i) => new Date(Date.now() - (demo.minutesAgo - i * 7) * MINUTE));
        await tx.execute(
          `insert into networking.conversation (id, kind, name_ja, name_en, description_ja, description_en, name_search, audience, last_seq, last_message_at, created_by, created_at)
           values (?, 'channel', ?, ?, ?, ?, ?, ?, ?, ?, ?, now() - interval '30 days' + ? * interval '1 minute')`,
          [id, c.nameJa, c.nameEn, c.descriptionJa, c.descriptionEn, normalizeForSearch(`${c.nameJa} ${c.nameEn}`), c.audience, demo.messages.length, times[times.length - 1], operator ?? null, index],
        );
        for (const [i, body] of demo.messages.entries()) {
          const keys = messageSearchKeys(body);
          await tx.execute(
            `insert into networking.chat_message (id, conversation_id, seq, author_id, client_id, body, html, search_tokens, search_text, created_at)
             values (?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?)`,
            [randomUUID(), id, i + 1, authors[i], `seed-${i + 1}`, body, renderMessage(body), arrayLiteral(keys.tokens), keys.text, times[i]],
          );
        }
        // The authors and a few more have joined. Everyone has read to the end, except the operator, for whom the
        // last two messages of the first channels are new (the demo shows the badge).
        const joined = [...new Set([...authors, ...pool.slice(0, 6)])];
        const values = joined.map((m) => [id, m, demo.messages.length]);
        if (operator && c.audience === 'members') values.push([id, operator, index < 2 ? demo.messages.length - 2 : demo.messages.length]);
        for (const [conversationId, memberId, lastRead] of values) {
          await tx.execute(`insert into networking.conversation_member (conversation_id, member_id, role, joined_at, last_read_seq) values (?, ?, 'member', now() - interval '30 days', ?)`, [conversationId, memberId, lastRead]);
        }
        await tx.execute('update networking.conversation set member_count = ? where id = ?', [values.length, id]);
      }
    });
  }
}
