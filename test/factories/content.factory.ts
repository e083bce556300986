import type { Command } from '@nestjs/cqrs';
import type { Viewer } from '@libs/security/access-policy';
import { CreateContentCommand, PublishContentCommand, SubmitContentCommand, type ContentInput } from '@modules/content/contracts';

type Run = <R>(command: Command<R>) => Promise<R>;

export const contentInput = (over: Partial<ContentInput> = {}): ContentInput => ({
  type: 'column',
  title: 'アルムナイとして社外から見えた自社の強み',
  summary: '退職して三年、外から見て初めて気づいた「当たり前」の価値について。',
  body: '退職してから三年が経ちました。\n\n## 外から見えたこと\n\n社内では当たり前だった**品質へのこだわり**が、取引先からは高く評価されていました。',
  tags: ['キャリア', 'アルムナイ'],
  visibility: 'members',
  language: 'ja',
  ...over,
});

/** A draft by `author`, through Content's commands. */
export async function buildDraft(run: Run, author: Viewer, over: Partial<ContentInput> = {}): Promise<string> {
  return (await run(new CreateContentCommand(author, contentInput(over)))).contentId;
}

/**
 * A published item: written by `author`, submitted and published by `operator` (or published directly when the
 * author is the operator).
 */
export async function buildPublished(run: Run, author: Viewer, operator: Viewer, over: Partial<ContentInput> = {}): Promise<string> {
  const id = await buildDraft(run, author, over);
  if (author.memberId !== operator.memberId) await run(new SubmitContentCommand(author, id));
  await run(new PublishContentCommand(operator, id));
  return id;
}
