import { randomUUID } from 'node:crypto';
import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ForbiddenError } from '@libs/ddd';
import { isUuid } from '@libs/ddd/ids';
import { AccessPolicy } from '@libs/security/access-policy';
import {
  BlockMemberCommand,
  CanMessageMemberQuery,
  GetChatSettingsQuery,
  OpenDirectConversationCommand,
  SetDmPolicyCommand,
  type ChatMemberView,
  type DmPolicy,
} from '../contracts';
import { dmKey, isDmPolicy } from '../domain/chat-rules';
import { CannotBlockSelfError, CannotMessageError, ChatMemberNotFoundError, InvalidDmPolicyError } from '../domain/chat.errors';
import { ChatFanout } from './chat-fanout';
import { ChatStore } from './chat-store';

@CommandHandler(OpenDirectConversationCommand)
export class OpenDirectConversationHandler implements ICommandHandler<OpenDirectConversationCommand> {
  constructor(
    private readonly store: ChatStore,
    private readonly fanout: ChatFanout,
  ) {}

  async execute({ viewer, memberId }: OpenDirectConversationCommand): Promise<{ conversationId: string; created: boolean }> {
    // One answer for every refusal (not a member, unknown member, self, block, policy): nobody learns why.
    if (!AccessPolicy.isMember(viewer) || !isUuid(memberId)) throw new CannotMessageError();
    const otherId = memberId.toLowerCase();
    const state = await this.store.dmState(viewer, otherId);
    if (!state.open) throw new CannotMessageError();
    const key = dmKey(viewer.memberId, otherId);
    const id = randomUUID();
    // The unique dm_key makes a second open (at the same moment too) find the first: the loser's insert waits for
    // the winner's transaction and does nothing; the conversation and both member rows commit together.
    const created = await this.store.em.fork().transactional(async (tx) => {
      const inserted = await tx.execute<{ id: string }[]>(
        `insert into networking.conversation (id, kind, dm_key, member_count, created_by, created_at) values (?, 'dm', ?, 2, ?, now())
         on conflict (dm_key) do nothing returning id`,
        [id, key, viewer.memberId],
      );
      if (inserted.length === 0) return false;
      await tx.execute(
        `insert into networking.conversation_member (conversation_id, member_id, role, joined_at, last_read_seq) values (?, ?, 'member', now(), 0), (?, ?, 'member', now(), 0)`,
        [id, viewer.memberId, id, otherId],
      );
      return true;
    });
    if (created) {
      this.fanout.membershipChanged(id, viewer.memberId, true);
      this.fanout.membershipChanged(id, otherId, true);
      return { conversationId: id, created: true };
    }
    const [existing] = await this.store.sql<{ id: string }[]>('select id from networking.conversation where dm_key = ?', [key]);
    return { conversationId: existing.id, created: false };
  }
}

@QueryHandler(CanMessageMemberQuery)
export class CanMessageMemberHandler implements IQueryHandler<CanMessageMemberQuery> {
  constructor(private readonly store: ChatStore) {}

  async execute({ viewer, memberId }: CanMessageMemberQuery): Promise<boolean> {
    if (!AccessPolicy.isMember(viewer) || !isUuid(memberId)) return false;
    return (await this.store.dmState(viewer, memberId.toLowerCase())).open;
  }
}

@CommandHandler(BlockMemberCommand)
export class BlockMemberHandler implements ICommandHandler<BlockMemberCommand> {
  constructor(private readonly store: ChatStore) {}

  async execute({ viewer, memberId, blocked }: BlockMemberCommand): Promise<void> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    if (!isUuid(memberId)) throw new ChatMemberNotFoundError();
    const otherId = memberId.toLowerCase();
    if (otherId === viewer.memberId.toLowerCase()) throw new CannotBlockSelfError();
    if (!blocked) {
      await this.store.sql('delete from networking.member_block where blocker_id = ? and blocked_id = ?', [viewer.memberId, otherId]);
      return;
    }
    const names = await this.store.names([otherId], 'ja');
    if (!names.has(otherId)) throw new ChatMemberNotFoundError();
    // The blocked member is told nothing: their next message is refused like any closed DM.
    await this.store.sql('insert into networking.member_block (blocker_id, blocked_id, created_at) values (?, ?, now()) on conflict do nothing', [viewer.memberId, otherId]);
  }
}

@CommandHandler(SetDmPolicyCommand)
export class SetDmPolicyHandler implements ICommandHandler<SetDmPolicyCommand> {
  constructor(private readonly store: ChatStore) {}

  async execute({ viewer, policy }: SetDmPolicyCommand): Promise<void> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    if (!isDmPolicy(policy)) throw new InvalidDmPolicyError();
    await this.store.sql(
      `insert into networking.chat_setting (member_id, dm_policy, updated_at) values (?, ?, now())
       on conflict (member_id) do update set dm_policy = excluded.dm_policy, updated_at = now()`,
      [viewer.memberId, policy],
    );
  }
}

@QueryHandler(GetChatSettingsQuery)
export class GetChatSettingsHandler implements IQueryHandler<GetChatSettingsQuery> {
  constructor(private readonly store: ChatStore) {}

  async execute({ viewer }: GetChatSettingsQuery): Promise<{ dmPolicy: DmPolicy; blocked: ChatMemberView[] }> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    const locale = viewer.locale ?? 'ja';
    const [[setting], blocks] = await Promise.all([
      this.store.sql<{ dm_policy: DmPolicy }[]>('select dm_policy from networking.chat_setting where member_id = ?', [viewer.memberId]),
      this.store.sql<{ blocked_id: string }[]>('select blocked_id from networking.member_block where blocker_id = ? order by created_at desc, blocked_id', [viewer.memberId]),
    ]);
    const names = await this.store.names(blocks.map((b) => b.blocked_id), locale);
    // Deleted accounts are left out: they write nothing any more.
    return {
      dmPolicy: setting?.dm_policy ?? 'everyone',
      blocked: blocks.map((b) => ChatStore.member(names, b.blocked_id, locale)).filter((m) => !m.deleted),
    };
  }
}
