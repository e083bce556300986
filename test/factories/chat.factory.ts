import { randomUUID } from 'node:crypto';
import type { Command } from '@nestjs/cqrs';
import type { Viewer } from '@libs/security/access-policy';
import {
  CreateChannelCommand,
  CreateGroupCommand,
  InviteToGroupCommand,
  JoinChannelCommand,
  RespondToGroupInvitationCommand,
  SendMessageCommand,
  type ChannelInput,
  type GroupInput,
  type MessageView,
} from '@modules/networking/contracts';

type Run = <R>(command: Command<R>) => Promise<R>;

export const channelInput = (over: Partial<ChannelInput> = {}): ChannelInput => ({
  nameJa: '雑談',
  nameEn: 'General chat',
  descriptionJa: '近況報告やちょっとした話題など、気軽にどうぞ。',
  descriptionEn: 'Small talk and news.',
  audience: 'members',
  ...over,
});

export const groupInput = (over: Partial<GroupInput> = {}): GroupInput => ({
  name: '2015年入社同期',
  description: '同期の近況を共有するグループです。',
  listed: true,
  ...over,
});

/** A channel created by an operator, joined by `members`, through chat's commands. */
export async function buildChannel(run: Run, operator: Viewer, over: Partial<ChannelInput> = {}, members: Viewer[] = []): Promise<string> {
  const { conversationId } = await run(new CreateChannelCommand(operator, channelInput(over)));
  for (const m of members) await run(new JoinChannelCommand(m, conversationId));
  return conversationId;
}

/** A group owned by `owner` with `members` invited and accepted. */
export async function buildGroup(run: Run, owner: Viewer, over: Partial<GroupInput> = {}, members: Viewer[] = []): Promise<string> {
  const { conversationId } = await run(new CreateGroupCommand(owner, groupInput(over)));
  for (const m of members) {
    await run(new InviteToGroupCommand(owner, conversationId, m.memberId));
    await run(new RespondToGroupInvitationCommand(m, conversationId, true));
  }
  return conversationId;
}

/** Sends a message with a fresh client id (or the given one). */
export async function sendMessage(run: Run, author: Viewer, conversationId: string, body: string, clientId: string = randomUUID()): Promise<MessageView> {
  return (await run(new SendMessageCommand(author, conversationId, { clientId, body }))).message;
}
