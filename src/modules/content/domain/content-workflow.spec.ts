import { CONTENT_ACTIONS, CONTENT_STATUSES, REVISION_STATUSES, type ContentAction, type ContentStatus, type RevisionStatus } from '../contracts/content';
import { allows, transition, type WorkflowActor, type WorkflowEffect, type WorkflowState } from './content-workflow';
import { ContentTransitionError } from './content.errors';

const NOW = new Date('2026-12-10T03:00:00Z');
const LATER = new Date('2026-12-24T01:00:00Z');
const EARLIER = new Date('2026-12-01T01:00:00Z');

const ACTORS = {
  author: { isAuthor: true, isOperator: false },
  other: { isAuthor: false, isOperator: false },
  operator: { isAuthor: false, isOperator: true },
  operatorAuthor: { isAuthor: true, isOperator: true },
} satisfies Record<string, WorkflowActor>;
type ActorName = keyof typeof ACTORS;

/** Every state an item can be in: a revision only on a published item; everPublished both ways where it can differ. */
const STATES: WorkflowState[] = CONTENT_STATUSES.flatMap((status) => {
  const revisions: (RevisionStatus | null)[] = status === 'published' ? [null, ...REVISION_STATUSES] : [null];
  const ever = status === 'published' || status === 'unpublished' ? [true] : [false, true];
  return revisions.flatMap((revisionStatus) => ever.map((everPublished) => ({ status, revisionStatus, everPublished })));
});

const label = (s: WorkflowState) => `${s.status}${s.revisionStatus ? `+revision:${s.revisionStatus}` : ''}${s.everPublished ? ' (was online)' : ''}`;

function run(state: WorkflowState, action: ContentAction, actor: ActorName, at?: Date) {
  return transition(state, action, ACTORS[actor], { at, now: NOW });
}

type Expected = { status: ContentStatus; revision: RevisionStatus | null; effect: WorkflowEffect; notify?: string | null; onRevision?: boolean } | 'deny';

/** The rules that matter, one row each: state, action, actor, `at`, the expected outcome. */
const TABLE: [Partial<WorkflowState> & { status: ContentStatus }, ContentAction, ActorName, Date | undefined, Expected][] = [
  // Authors write and submit; a draft they never published they may throw away.
  [{ status: 'draft' }, 'edit', 'author', undefined, { status: 'draft', revision: null, effect: 'save-working' }],
  [{ status: 'draft' }, 'submit', 'author', undefined, { status: 'submitted', revision: null, effect: 'none' }],
  [{ status: 'draft' }, 'discard', 'author', undefined, { status: 'draft', revision: null, effect: 'delete' }],
  [{ status: 'submitted' }, 'withdraw', 'author', undefined, { status: 'draft', revision: null, effect: 'none' }],
  [{ status: 'submitted' }, 'edit', 'author', undefined, { status: 'submitted', revision: null, effect: 'save-working' }],
  [{ status: 'submitted' }, 'discard', 'author', undefined, 'deny'],
  [{ status: 'returned' }, 'edit', 'author', undefined, { status: 'returned', revision: null, effect: 'save-working' }],
  [{ status: 'returned' }, 'submit', 'author', undefined, { status: 'submitted', revision: null, effect: 'none' }],
  [{ status: 'declined' }, 'edit', 'author', undefined, 'deny'],
  [{ status: 'declined' }, 'submit', 'author', undefined, 'deny'],
  [{ status: 'declined' }, 'discard', 'author', undefined, { status: 'declined', revision: null, effect: 'delete' }],
  // Members never publish, return, decline — not even their own, not with a time.
  [{ status: 'draft' }, 'publish', 'author', undefined, 'deny'],
  [{ status: 'submitted' }, 'publish', 'author', undefined, 'deny'],
  [{ status: 'submitted' }, 'publish', 'author', LATER, 'deny'],
  [{ status: 'submitted' }, 'return', 'author', undefined, 'deny'],
  [{ status: 'submitted' }, 'decline', 'author', undefined, 'deny'],
  [{ status: 'published', revisionStatus: 'submitted' }, 'publish', 'author', undefined, 'deny'],
  // Someone else's item: nothing at all.
  [{ status: 'draft' }, 'edit', 'other', undefined, 'deny'],
  [{ status: 'published' }, 'edit', 'other', undefined, 'deny'],
  [{ status: 'published' }, 'unpublish', 'other', undefined, 'deny'],
  [{ status: 'submitted' }, 'withdraw', 'other', undefined, 'deny'],
  // Operators review what was submitted: publish now, schedule, return, decline; the author is told.
  [{ status: 'submitted' }, 'publish', 'operator', undefined, { status: 'published', revision: null, effect: 'publish-now', notify: 'published' }],
  [{ status: 'submitted' }, 'publish', 'operator', EARLIER, { status: 'published', revision: null, effect: 'publish-now', notify: 'published' }],
  [{ status: 'submitted' }, 'publish', 'operator', LATER, { status: 'scheduled', revision: null, effect: 'schedule', notify: 'scheduled' }],
  [{ status: 'submitted' }, 'return', 'operator', undefined, { status: 'returned', revision: null, effect: 'none', notify: 'returned' }],
  [{ status: 'submitted' }, 'decline', 'operator', undefined, { status: 'declined', revision: null, effect: 'none', notify: 'declined' }],
  // …but cannot publish a member's draft that was never submitted, nor submit or withdraw for them.
  [{ status: 'draft' }, 'publish', 'operator', undefined, 'deny'],
  [{ status: 'returned' }, 'publish', 'operator', undefined, 'deny'],
  [{ status: 'draft' }, 'submit', 'operator', undefined, 'deny'],
  [{ status: 'submitted' }, 'withdraw', 'operator', undefined, 'deny'],
  [{ status: 'draft' }, 'return', 'operator', undefined, 'deny'],
  // Their own drafts they publish or schedule directly, and nobody is "told".
  [{ status: 'draft' }, 'publish', 'operatorAuthor', undefined, { status: 'published', revision: null, effect: 'publish-now', notify: null }],
  [{ status: 'draft' }, 'publish', 'operatorAuthor', LATER, { status: 'scheduled', revision: null, effect: 'schedule', notify: null }],
  // Scheduled: a new time moves it, no time publishes now; returned or declined, the schedule is dropped.
  [{ status: 'scheduled' }, 'publish', 'operator', LATER, { status: 'scheduled', revision: null, effect: 'schedule', notify: 'scheduled' }],
  [{ status: 'scheduled' }, 'publish', 'operator', undefined, { status: 'published', revision: null, effect: 'publish-now', notify: 'published' }],
  [{ status: 'scheduled' }, 'return', 'operator', undefined, { status: 'returned', revision: null, effect: 'cancel-schedule', notify: 'returned' }],
  [{ status: 'scheduled' }, 'decline', 'operator', undefined, { status: 'declined', revision: null, effect: 'cancel-schedule', notify: 'declined' }],
  [{ status: 'scheduled' }, 'unpublish', 'operator', undefined, { status: 'submitted', revision: null, effect: 'cancel-schedule' }],
  [{ status: 'scheduled' }, 'unpublish', 'author', undefined, { status: 'draft', revision: null, effect: 'cancel-schedule' }],
  [{ status: 'scheduled' }, 'edit', 'author', undefined, 'deny'],
  [{ status: 'scheduled' }, 'edit', 'operator', undefined, { status: 'scheduled', revision: null, effect: 'save-working' }],
  [{ status: 'scheduled' }, 'discard', 'operator', undefined, 'deny'],
  // A member's edit of a published item is a revision that goes through review; the published version stays.
  [{ status: 'published' }, 'edit', 'author', undefined, { status: 'published', revision: 'draft', effect: 'save-revision', onRevision: true }],
  [{ status: 'published', revisionStatus: 'returned' }, 'edit', 'author', undefined, { status: 'published', revision: 'returned', effect: 'save-revision', onRevision: true }],
  [{ status: 'published', revisionStatus: 'draft' }, 'submit', 'author', undefined, { status: 'published', revision: 'submitted', effect: 'none', onRevision: true }],
  [{ status: 'published', revisionStatus: 'returned' }, 'submit', 'author', undefined, { status: 'published', revision: 'submitted', effect: 'none', onRevision: true }],
  [{ status: 'published', revisionStatus: 'submitted' }, 'withdraw', 'author', undefined, { status: 'published', revision: 'draft', effect: 'none', onRevision: true }],
  [{ status: 'published' }, 'submit', 'author', undefined, 'deny'],
  [{ status: 'published', revisionStatus: 'submitted' }, 'publish', 'operator', undefined, { status: 'published', revision: null, effect: 'publish-now', notify: 'published', onRevision: true }],
  [{ status: 'published', revisionStatus: 'submitted' }, 'publish', 'operator', LATER, 'deny'],
  [{ status: 'published', revisionStatus: 'draft' }, 'publish', 'operator', undefined, 'deny'],
  [{ status: 'published', revisionStatus: 'submitted' }, 'return', 'operator', undefined, { status: 'published', revision: 'returned', effect: 'none', notify: 'returned', onRevision: true }],
  [{ status: 'published', revisionStatus: 'submitted' }, 'decline', 'operator', undefined, { status: 'published', revision: null, effect: 'drop-revision', notify: 'declined', onRevision: true }],
  [{ status: 'published', revisionStatus: 'draft' }, 'discard', 'author', undefined, { status: 'published', revision: null, effect: 'drop-revision', onRevision: true }],
  [{ status: 'published' }, 'publish', 'operator', undefined, 'deny'],
  // An operator's edit of a published item is online at once.
  [{ status: 'published' }, 'edit', 'operator', undefined, { status: 'published', revision: null, effect: 'publish-now' }],
  // Offline and back: the author or an operator unpublishes; the author resubmits, an operator re-publishes (no notice).
  [{ status: 'published' }, 'unpublish', 'author', undefined, { status: 'unpublished', revision: null, effect: 'take-offline' }],
  [{ status: 'published' }, 'unpublish', 'operator', undefined, { status: 'unpublished', revision: null, effect: 'take-offline' }],
  [{ status: 'unpublished', everPublished: true }, 'submit', 'author', undefined, { status: 'submitted', revision: null, effect: 'none' }],
  [{ status: 'unpublished', everPublished: true }, 'publish', 'operator', undefined, { status: 'published', revision: null, effect: 'publish-now', notify: null }],
  [{ status: 'unpublished', everPublished: true }, 'publish', 'author', undefined, 'deny'],
  // Once online, only an operator deletes it, and only offline.
  [{ status: 'unpublished', everPublished: true }, 'discard', 'author', undefined, 'deny'],
  [{ status: 'unpublished', everPublished: true }, 'discard', 'operator', undefined, { status: 'unpublished', revision: null, effect: 'delete' }],
  [{ status: 'published' }, 'discard', 'operator', undefined, 'deny'],
  [{ status: 'returned', everPublished: true }, 'discard', 'author', undefined, 'deny'],
  // Actions that are never asked of the state machine directly.
  [{ status: 'draft' }, 'create', 'operatorAuthor', undefined, 'deny'],
  [{ status: 'submitted' }, 'schedule', 'operator', LATER, 'deny'],
];

describe('the content workflow (state × revision × action × actor)', () => {
  it.each(TABLE.map(([state, action, actor, at, expected]) => [`${label({ revisionStatus: null, everPublished: false, ...state })} · ${action}${at ? `(at ${at.toISOString()})` : ''} · ${actor}`, state, action, actor, at, expected] as const))(
    '%s',
    (_name, partial, action, actor, at, expected) => {
      const state: WorkflowState = { revisionStatus: null, everPublished: partial.status === 'published' || partial.status === 'unpublished', ...partial };
      if (expected === 'deny') {
        expect(() => run(state, action, actor, at)).toThrow(ContentTransitionError);
        expect(allows(state, action, ACTORS[actor], { at, now: NOW })).toBe(false);
        return;
      }
      const out = run(state, action, actor, at);
      expect(out).toEqual({ status: expected.status, revisionStatus: expected.revision, effect: expected.effect, notifyAuthor: expected.notify ?? null, onRevision: expected.onRevision ?? false });
      expect(allows(state, action, ACTORS[actor], { at, now: NOW })).toBe(true);
    },
  );

  const everything = STATES.flatMap((state) => CONTENT_ACTIONS.flatMap((action) => (Object.keys(ACTORS) as ActorName[]).flatMap((actor) => [undefined, LATER].map((at) => ({ state, action, actor, at })))));
  const attempt = ({ state, action, actor, at }: (typeof everything)[number]) => {
    try {
      return run(state, action, actor, at);
    } catch (e) {
      if (e instanceof ContentTransitionError) return null;
      throw e;
    }
  };

  it(`lets nobody but the author and operators do anything (${everything.length} combinations)`, () => {
    const allowed = everything.filter((c) => c.actor === 'other' && attempt(c) !== null);
    expect(allowed.map((c) => `${label(c.state)} ${c.action}`)).toEqual([]);
  });

  it('never lets a member publish, schedule, return or decline, in any state', () => {
    const allowed = everything.filter((c) => !ACTORS[c.actor].isOperator && ['publish', 'schedule', 'return', 'decline'].includes(c.action) && attempt(c) !== null);
    expect(allowed.map((c) => `${label(c.state)} ${c.action} ${c.actor}`)).toEqual([]);
  });

  it('never lets anyone but the author submit or withdraw', () => {
    const allowed = everything.filter((c) => !ACTORS[c.actor].isAuthor && ['submit', 'withdraw'].includes(c.action) && attempt(c) !== null);
    expect(allowed.map((c) => `${label(c.state)} ${c.action} ${c.actor}`)).toEqual([]);
  });

  it('puts a member\'s change of a published item on the revision, never online', () => {
    const online = everything.filter((c) => c.state.status === 'published' && !ACTORS[c.actor].isOperator);
    for (const c of online) {
      const out = attempt(c);
      if (!out) continue;
      expect([label(c.state), c.action, out.effect]).not.toEqual([expect.anything(), expect.anything(), 'publish-now']);
      expect(out.status === 'published' || out.status === 'unpublished').toBe(true);
    }
  });

  it('answers only consistent states: a revision only on a published item, a schedule only with a time ahead, no notice for one\'s own item', () => {
    for (const c of everything) {
      const out = attempt(c);
      if (!out) continue;
      if (out.revisionStatus !== null) expect([label(c.state), c.action, out.status]).toEqual([label(c.state), c.action, 'published']);
      if (out.effect === 'schedule') expect(c.at).toBe(LATER);
      if (out.status === 'scheduled' && c.state.status !== 'scheduled') expect(out.effect).toBe('schedule');
      if (ACTORS[c.actor].isAuthor) expect([label(c.state), c.action, c.actor, out.notifyAuthor]).toEqual([label(c.state), c.action, c.actor, null]);
      if (out.effect === 'delete') expect(c.state.status).not.toBe('published');
    }
  });

  it('lets an author delete only what was never online', () => {
    const deletions = everything.filter((c) => c.actor === 'author' && c.action === 'discard' && attempt(c)?.effect === 'delete');
    expect(deletions.every((c) => !c.state.everPublished)).toBe(true);
    expect(deletions.length).toBeGreaterThan(0);
  });
});
