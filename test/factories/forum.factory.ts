import type { Viewer } from '@libs/security/access-policy';
import { CreateBoardCommand, ReplyToThreadCommand, StartThreadCommand, type BoardInput } from '@modules/networking/contracts';

type Run = <R>(command: import('@nestjs/cqrs').Command<R>) => Promise<R>;

export const boardInput = (over: Partial<BoardInput> = {}): BoardInput => ({
  nameJa: 'DX勉強会',
  nameEn: 'DX study group',
  descriptionJa: '生成AIとデータ活用の実践を共有します。',
  descriptionEn: 'Share what works.',
  visibility: 'members',
  publicReadable: false,
  threadStarters: 'members',
  ...over,
});

/** A board created by an operator, through the forum's commands. */
export async function buildBoard(run: Run, operator: Viewer, over: Partial<BoardInput> = {}): Promise<string> {
  return (await run(new CreateBoardCommand(operator, boardInput(over)))).boardId;
}

/** A thread with `replies` replies by the given members in turn. */
export async function buildThread(run: Run, boardId: string, author: Viewer, options: { title?: string; body?: string; replies?: { by: Viewer; body: string }[] } = {}): Promise<{ threadId: string; postId: string }> {
  const started = await run(new StartThreadCommand(author, boardId, options.title ?? '生成AIを議事録に使っていますか', { body: options.body ?? '会議の議事録づくりに生成AIを使い始めました。' }));
  for (const r of options.replies ?? []) await run(new ReplyToThreadCommand(r.by, started.threadId, { body: r.body }));
  return started;
}

