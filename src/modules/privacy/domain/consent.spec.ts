import { currentConsent, isNewDecision, type ConsentDecision } from './consent';

const VERSIONS = { community: 'v2', talent_pool: 'v1', business_matching: 'v1' };
const at = (iso: string) => new Date(iso);
const decision = (purpose: ConsentDecision['purpose'], granted: boolean, textVersion: string, recordedAt: string): ConsentDecision => ({
  purpose,
  granted,
  textVersion,
  recordedAt: at(recordedAt),
});

describe('currentConsent', () => {
  it('answers "not answered" for every purpose of a member who never decided', () => {
    expect(currentConsent([], VERSIONS)).toEqual([
      { purpose: 'community', answer: 'not-answered', textVersion: null, recordedAt: null, currentVersion: 'v2', outdated: false },
      { purpose: 'talent_pool', answer: 'not-answered', textVersion: null, recordedAt: null, currentVersion: 'v1', outdated: false },
      { purpose: 'business_matching', answer: 'not-answered', textVersion: null, recordedAt: null, currentVersion: 'v1', outdated: false },
    ]);
  });

  it('takes the newest decision per purpose, whatever order the records come in', () => {
    const records = [
      decision('talent_pool', false, 'v1', '2026-11-03T00:00:00Z'),
      decision('talent_pool', true, 'v1', '2026-11-01T00:00:00Z'),
      decision('community', true, 'v2', '2026-11-02T00:00:00Z'),
      decision('talent_pool', true, 'v1', '2026-11-02T00:00:00Z'),
    ];
    const state = currentConsent(records, VERSIONS);
    expect(state.map((s) => [s.purpose, s.answer, s.recordedAt?.toISOString() ?? null])).toEqual([
      ['community', 'given', '2026-11-02T00:00:00.000Z'],
      ['talent_pool', 'withdrawn', '2026-11-03T00:00:00.000Z'],
      ['business_matching', 'not-answered', null],
    ]);
  });

  it('flags consent given to an older wording as outdated (a withdrawal never is)', () => {
    const state = currentConsent([decision('community', true, 'v1', '2026-01-01T00:00:00Z'), decision('talent_pool', false, 'v0', '2026-01-01T00:00:00Z')], VERSIONS);
    expect(state[0]).toMatchObject({ answer: 'given', textVersion: 'v1', currentVersion: 'v2', outdated: true });
    expect(state[1]).toMatchObject({ answer: 'withdrawn', outdated: false });
  });
});

describe('isNewDecision', () => {
  const [community] = currentConsent([decision('community', true, 'v2', '2026-11-01T00:00:00Z')], VERSIONS);
  const [unanswered] = currentConsent([], VERSIONS);

  it('records any first answer, including a withdrawal', () => {
    expect(isNewDecision(unanswered, true, 'v2')).toBe(true);
    expect(isNewDecision(unanswered, false, 'v2')).toBe(true);
  });

  it('does not record the same answer to the same wording twice', () => {
    expect(isNewDecision(community, true, 'v2')).toBe(false);
  });

  it('records a change of answer, and the same answer to a new wording', () => {
    expect(isNewDecision(community, false, 'v2')).toBe(true);
    expect(isNewDecision(community, true, 'v3')).toBe(true);
  });
});
