import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ForbiddenError } from '@libs/ddd';
import { isUuid } from '@libs/ddd/ids';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import {
  CreateGroupCommand,
  DecideJoinRequestCommand,
  InviteToGroupCommand,
  RemoveGroupMemberCommand,
  RequestToJoinGroupCommand,
  RespondToGroupInvitationCommand,
  TransferGroupOwnershipCommand,
  UpdateGroupCommand,
  type GroupRole,
} from '../contracts';
import { cleanGroupInput, cleanRequestMessage, groupNameKey } from '../domain/chat-content';
import { canManageConversation } from '../domain/chat-rules';
import {
  AlreadyInGroupError,
  CannotInviteError,
  CannotJoinError,
  ChatMemberNotFoundError,
  ChatNotFoundError,
  NoPendingInvitationError,
  NoPendingRequestError,
  NotGroupOwnerError,
  NotInGroupError,
  OwnerMustHandOverError,
} from '../domain/chat.errors';
import { ChatFanout } from './chat-fanout';
import { ChatStore, type ViewerConversationRow } from './chat-store';

/** A group the viewer may know of, which they own (else NotGroupOwnerError; a channel or DM: not found). */
async function ownedGroup(store: ChatStore, viewer: Viewer, conversationId: string): Promise<ViewerConversationRow> {
  const { row, facts } = await store.known(viewer, conversationId);
  if (row.kind !== 'group') throw new ChatNotFoundError();
  if (!canManageConversation(viewer, facts)) throw new NotGroupOwnerError();
  return row;
}

/** Locks the group's row: membership changes of one group wait for each other. Null when it is gone or closed. */
async function lockGroup(tx: EntityManager, conversationId: string): Promise<{ member_count: number; archived_at: Date | null } | null> {
  const [row] = await tx.execute<{ member_count: number; archived_at: Date | null }[]>(
    `select member_count, archived_at from networking.conversation where id = ? and kind = 'group' for update`,
    [conversationId],
  );
  return row && !row.archived_at ? row : null;
}

async function memberRole(tx: EntityManager, conversationId: string, memberId: string): Promise<GroupRole | null> {
  const [row] = await tx.execute<{ role: GroupRole }[]>('select role from networking.conversation_member where conversation_id = ? and member_id = ?', [conversationId, memberId]);
  return row?.role ?? null;
}

/** Adds a member (reading from the group's end) and closes their request; inside a transaction holding the lock. */
async function addMember(tx: EntityManager, conversationId: string, memberId: string): Promise<boolean> {
  const added = await tx.execute<unknown[]>(
    `insert into networking.conversation_member (conversation_id, member_id, role, joined_at, last_read_seq)
     select id, ?, 'member', now(), last_seq from networking.conversation where id = ? on conflict do nothing returning 1`,
    [memberId, conversationId],
  );
  if (added.length) await tx.execute('update networking.conversation set member_count = member_count + 1 where id = ?', [conversationId]);
  await tx.execute(`update networking.conversation_request set status = 'accepted', decided_at = now() where conversation_id = ? and member_id = ? and status = 'pending'`, [conversationId, memberId]);
  return added.length > 0;
}

/** The pending request of a member for the group, locked (kind), or null. */
async function pendingRequest(tx: EntityManager, conversationId: string, memberId: string): Promise<'invite' | 'join' | null> {
  const [row] = await tx.execute<{ kind: 'invite' | 'join' }[]>(
    `select kind from networking.conversation_request where conversation_id = ? and member_id = ? and status = 'pending' for update`,
    [conversationId, memberId],
  );
  return row?.kind ?? null;
}

@CommandHandler(CreateGroupCommand)
export class CreateGroupHandler implements ICommandHandler<CreateGroupCommand> {
  constructor(
    private readonly store: ChatStore,
    private readonly fanout: ChatFanout,
  ) {}

  async execute({ viewer, input }: CreateGroupCommand): Promise<{ conversationId: string }> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    const g = cleanGroupInput(input);
    const id = randomUUID();
    await this.store.em.fork().transactional(async (tx) => {
      await tx.execute(
        `insert into networking.conversation (id, kind, name_ja, description_ja, name_search, listed, member_count, created_by, created_at)
         values (?, 'group', ?, ?, ?, ?, 1, ?, now())`,
        [id, g.name, g.description, groupNameKey(g.name), g.listed, viewer.memberId],
      );
      await tx.execute(`insert into networking.conversation_member (conversation_id, member_id, role, joined_at, last_read_seq) values (?, ?, 'owner', now(), 0)`, [id, viewer.memberId]);
    });
    this.fanout.membershipChanged(id, viewer.memberId, true);
    return { conversationId: id };
  }
}

@CommandHandler(UpdateGroupCommand)
export class UpdateGroupHandler implements ICommandHandler<UpdateGroupCommand> {
  constructor(
    private readonly store: ChatStore,
    private readonly fanout: ChatFanout,
  ) {}

  async execute({ viewer, conversationId, input }: UpdateGroupCommand): Promise<void> {
    const row = await ownedGroup(this.store, viewer, conversationId);
    const g = cleanGroupInput(input);
    await this.store.sql('update networking.conversation set name_ja = ?, description_ja = ?, name_search = ?, listed = ? where id = ?', [g.name, g.description, groupNameKey(g.name), g.listed, row.id]);
    this.fanout.conversationChanged(row.id);
  }
}

@CommandHandler(InviteToGroupCommand)
export class InviteToGroupHandler implements ICommandHandler<InviteToGroupCommand> {
  constructor(
    private readonly store: ChatStore,
    private readonly fanout: ChatFanout,
  ) {}

  async execute({ viewer, conversationId, memberId }: InviteToGroupCommand): Promise<{ joined: boolean }> {
    const row = await ownedGroup(this.store, viewer, conversationId);
    if (!isUuid(memberId)) throw new ChatMemberNotFoundError();
    const inviteeId = memberId.toLowerCase();
    if (inviteeId === viewer.memberId.toLowerCase()) throw new AlreadyInGroupError();
    const names = await this.store.names([inviteeId], 'ja');
    const invitee = names.get(inviteeId);
    if (!invitee) throw new ChatMemberNotFoundError();
    // Not approved, or a block either way: the same answer (the owner does not learn of a block).
    const [{ blocked }] = await this.store.sql<{ blocked: boolean }[]>(
      'select exists (select 1 from networking.member_block where (blocker_id = ? and blocked_id = ?) or (blocker_id = ? and blocked_id = ?)) as blocked',
      [viewer.memberId, inviteeId, inviteeId, viewer.memberId],
    );
    if ((invitee.status !== 'employee' && invitee.status !== 'alumni') || blocked) throw new CannotInviteError();
    const joined = await this.store.em.fork().transactional(async (tx) => {
      if (!(await lockGroup(tx, row.id))) throw new ChatNotFoundError();
      if (await memberRole(tx, row.id, inviteeId)) throw new AlreadyInGroupError();
      // They asked already: the invitation approves their request.
      if ((await pendingRequest(tx, row.id, inviteeId)) === 'join') return addMember(tx, row.id, inviteeId);
      await tx.execute(
        `insert into networking.conversation_request (conversation_id, member_id, kind, status, message, created_by, created_at)
         values (?, ?, 'invite', 'pending', '', ?, now())
         on conflict (conversation_id, member_id) do update set kind = 'invite', status = 'pending', message = '', created_by = excluded.created_by, created_at = now(), decided_at = null`,
        [row.id, inviteeId, viewer.memberId],
      );
      return false;
    });
    if (joined) this.fanout.membershipChanged(row.id, inviteeId, true);
    return { joined };
  }
}

@CommandHandler(RespondToGroupInvitationCommand)
export class RespondToGroupInvitationHandler implements ICommandHandler<RespondToGroupInvitationCommand> {
  constructor(
    private readonly store: ChatStore,
    private readonly fanout: ChatFanout,
  ) {}

  async execute({ viewer, conversationId, accept }: RespondToGroupInvitationCommand): Promise<void> {
    const { row } = await this.store.known(viewer, conversationId);
    if (row.kind !== 'group') throw new ChatNotFoundError();
    const joined = await this.store.em.fork().transactional(async (tx) => {
      if (!(await lockGroup(tx, row.id))) throw new CannotJoinError();
      if ((await pendingRequest(tx, row.id, viewer.memberId)) !== 'invite') throw new NoPendingInvitationError();
      if (accept) return addMember(tx, row.id, viewer.memberId);
      await tx.execute(`update networking.conversation_request set status = 'declined', decided_at = now() where conversation_id = ? and member_id = ?`, [row.id, viewer.memberId]);
      return false;
    });
    if (joined) this.fanout.membershipChanged(row.id, viewer.memberId, true);
  }
}

@CommandHandler(RequestToJoinGroupCommand)
export class RequestToJoinGroupHandler implements ICommandHandler<RequestToJoinGroupCommand> {
  constructor(
    private readonly store: ChatStore,
    private readonly fanout: ChatFanout,
  ) {}

  async execute({ viewer, conversationId, message }: RequestToJoinGroupCommand): Promise<{ joined: boolean }> {
    const { row, facts } = await this.store.known(viewer, conversationId);
    if (row.kind !== 'group') throw new ChatNotFoundError();
    if (facts.joined) throw new AlreadyInGroupError();
    const text = cleanRequestMessage(message);
    const joined = await this.store.em.fork().transactional(async (tx) => {
      if (!(await lockGroup(tx, row.id))) throw new CannotJoinError();
      if (await memberRole(tx, row.id, viewer.memberId)) throw new AlreadyInGroupError();
      const pending = await pendingRequest(tx, row.id, viewer.memberId);
      // Invited already: asking to join accepts the invitation.
      if (pending === 'invite') return addMember(tx, row.id, viewer.memberId);
      if (!row.listed) throw new ChatNotFoundError();
      await tx.execute(
        `insert into networking.conversation_request (conversation_id, member_id, kind, status, message, created_by, created_at)
         values (?, ?, 'join', 'pending', ?, ?, now())
         on conflict (conversation_id, member_id) do update set kind = 'join', status = 'pending', message = excluded.message, created_by = excluded.created_by,
           created_at = case when conversation_request.status = 'pending' then conversation_request.created_at else now() end, decided_at = null`,
        [row.id, viewer.memberId, text, viewer.memberId],
      );
      return false;
    });
    if (joined) this.fanout.membershipChanged(row.id, viewer.memberId, true);
    return { joined };
  }
}

@CommandHandler(DecideJoinRequestCommand)
export class DecideJoinRequestHandler implements ICommandHandler<DecideJoinRequestCommand> {
  constructor(
    private readonly store: ChatStore,
    private readonly fanout: ChatFanout,
  ) {}

  async execute({ viewer, conversationId, memberId, approve }: DecideJoinRequestCommand): Promise<void> {
    const row = await ownedGroup(this.store, viewer, conversationId);
    if (!isUuid(memberId)) throw new NoPendingRequestError();
    const requesterId = memberId.toLowerCase();
    if (approve) {
      const requester = (await this.store.names([requesterId], 'ja')).get(requesterId);
      if (!requester || (requester.status !== 'employee' && requester.status !== 'alumni')) throw new CannotInviteError();
    }
    const joined = await this.store.em.fork().transactional(async (tx) => {
      if (!(await lockGroup(tx, row.id))) throw new ChatNotFoundError();
      if ((await pendingRequest(tx, row.id, requesterId)) !== 'join') throw new NoPendingRequestError();
      if (approve) return addMember(tx, row.id, requesterId);
      await tx.execute(`update networking.conversation_request set status = 'declined', decided_at = now() where conversation_id = ? and member_id = ?`, [row.id, requesterId]);
      return false;
    });
    if (joined) this.fanout.membershipChanged(row.id, requesterId, true);
  }
}

@CommandHandler(RemoveGroupMemberCommand)
export class RemoveGroupMemberHandler implements ICommandHandler<RemoveGroupMemberCommand> {
  constructor(
    private readonly store: ChatStore,
    private readonly fanout: ChatFanout,
  ) {}

  async execute({ viewer, conversationId, memberId }: RemoveGroupMemberCommand): Promise<void> {
    const row = await ownedGroup(this.store, viewer, conversationId);
    if (!isUuid(memberId)) throw new NotInGroupError();
    const targetId = memberId.toLowerCase();
    const removed = await this.store.em.fork().transactional(async (tx) => {
      if (!(await lockGroup(tx, row.id))) throw new ChatNotFoundError();
      const role = await memberRole(tx, row.id, targetId);
      if (!role) throw new NotInGroupError();
      // The owner does not remove themselves: they hand the group over, then leave.
      if (role === 'owner') throw new OwnerMustHandOverError();
      await tx.execute('delete from networking.conversation_member where conversation_id = ? and member_id = ?', [row.id, targetId]);
      await tx.execute('update networking.conversation set member_count = greatest(member_count - 1, 0) where id = ?', [row.id]);
      return true;
    });
    if (removed) this.fanout.membershipChanged(row.id, targetId, false);
  }
}

@CommandHandler(TransferGroupOwnershipCommand)
export class TransferGroupOwnershipHandler implements ICommandHandler<TransferGroupOwnershipCommand> {
  constructor(
    private readonly store: ChatStore,
    private readonly fanout: ChatFanout,
  ) {}

  async execute({ viewer, conversationId, memberId }: TransferGroupOwnershipCommand): Promise<void> {
    const row = await ownedGroup(this.store, viewer, conversationId);
    if (!isUuid(memberId)) throw new NotInGroupError();
    const targetId = memberId.toLowerCase();
    if (targetId === viewer.memberId.toLowerCase()) return;
    // The new owner must be able to take part (a suspended or deleted member could not manage the group).
    const target = (await this.store.names([targetId], 'ja')).get(targetId);
    if (!target || (target.status !== 'employee' && target.status !== 'alumni')) throw new NotInGroupError();
    await this.store.em.fork().transactional(async (tx) => {
      if (!(await lockGroup(tx, row.id))) throw new ChatNotFoundError();
      if ((await memberRole(tx, row.id, viewer.memberId)) !== 'owner') throw new NotGroupOwnerError();
      if (!(await memberRole(tx, row.id, targetId))) throw new NotInGroupError();
      // One owner per group (a unique index): the old owner steps down first.
      await tx.execute(`update networking.conversation_member set role = 'member' where conversation_id = ? and member_id = ?`, [row.id, viewer.memberId]);
      await tx.execute(`update networking.conversation_member set role = 'owner' where conversation_id = ? and member_id = ?`, [row.id, targetId]);
    });
    this.fanout.conversationChanged(row.id);
  }
}
