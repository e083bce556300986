import { ACCESS_LEVELS, AccessPolicy, VISIBILITIES, type AccessLevel, type Viewer, type Visibility } from './access-policy';
import { testViewer } from '@libs/testing';

const OWNER_ID = '00000000-0000-4000-8000-0000000000ff';

const viewer = testViewer;

const VIEWERS: Record<string, Viewer | null> = {
  anonymous: null,
  pending: viewer('pending'),
  employee: viewer('employee'),
  alumni: viewer('alumni'),
  'operator (alumni)': viewer('alumni', 'operator'),
  'admin (employee)': viewer('employee', 'admin'),
  suspended: viewer('suspended'),
  'suspended admin': viewer('suspended', 'admin'),
  'pending with the operator role': viewer('pending', 'operator'),
};

/** Columns follow VISIBILITIES: public, members, alumni, employees, operators, private. */
const CAN_SEE: Record<keyof typeof VIEWERS, boolean[]> = {
  anonymous: [true, false, false, false, false, false],
  pending: [true, false, false, false, false, false],
  employee: [true, true, false, true, false, false],
  alumni: [true, true, true, false, false, false],
  'operator (alumni)': [true, true, true, true, true, false],
  'admin (employee)': [true, true, true, true, true, true],
  suspended: [true, false, false, false, false, false],
  'suspended admin': [true, false, false, false, false, false],
  'pending with the operator role': [true, false, false, false, false, false],
};

/** Columns follow ACCESS_LEVELS: public, signed-in, member, operator, admin. */
const MEETS: Record<keyof typeof VIEWERS, boolean[]> = {
  anonymous: [true, false, false, false, false],
  pending: [true, true, false, false, false],
  employee: [true, true, true, false, false],
  alumni: [true, true, true, false, false],
  'operator (alumni)': [true, true, true, true, false],
  'admin (employee)': [true, true, true, true, true],
  suspended: [true, false, false, false, false],
  'suspended admin': [true, false, false, false, false],
  'pending with the operator role': [true, true, false, false, false],
};

const table = <T extends string>(columns: readonly T[], expected: Record<string, boolean[]>) =>
  Object.entries(expected).flatMap(([name, row]) => columns.map((column, i) => [name, column, row[i]] as [string, T, boolean]));

describe('AccessPolicy.canSee', () => {
  it('has a row for every viewer and a column for every visibility', () => {
    expect(VISIBILITIES).toEqual(['public', 'members', 'alumni', 'employees', 'operators', 'private']);
    for (const row of Object.values(CAN_SEE)) expect(row).toHaveLength(VISIBILITIES.length);
  });

  it.each(table<Visibility>(VISIBILITIES, CAN_SEE))('%s viewer, %s content → %s', (name, visibility, expected) => {
    expect(AccessPolicy.canSee(VIEWERS[name], visibility)).toBe(expected);
    expect(AccessPolicy.canSee(VIEWERS[name], visibility, OWNER_ID)).toBe(expected);
  });

  it.each(
    (['pending', 'employee', 'alumni'] as const).flatMap((status) => VISIBILITIES.map((v) => [status, v] as const)),
  )('a %s owner always sees their own %s content', (status, visibility) => {
    const owner = viewer(status, 'member', OWNER_ID);
    expect(AccessPolicy.canSee(owner, visibility, OWNER_ID)).toBe(true);
  });

  it.each(VISIBILITIES)('a suspended owner sees their own %s content only if it is public', (visibility) => {
    const owner = viewer('suspended', 'member', OWNER_ID);
    expect(AccessPolicy.canSee(owner, visibility, OWNER_ID)).toBe(visibility === 'public');
  });

  it('treats an undefined viewer like an anonymous one', () => {
    expect(VISIBILITIES.filter((v) => AccessPolicy.canSee(undefined, v, OWNER_ID))).toEqual(['public']);
  });
});

describe('AccessPolicy.meets', () => {
  it('has a column for every access level, from the most open to the most closed', () => {
    expect(ACCESS_LEVELS).toEqual(['public', 'signed-in', 'member', 'operator', 'admin']);
    for (const row of Object.values(MEETS)) expect(row).toHaveLength(ACCESS_LEVELS.length);
  });

  it.each(table<AccessLevel>(ACCESS_LEVELS, MEETS))('%s viewer on a %s page → %s', (name, level, expected) => {
    expect(AccessPolicy.meets(VIEWERS[name], level)).toBe(expected);
  });

  it.each(Object.keys(VIEWERS))('never lets a %s viewer through a level without passing every more open level', (name) => {
    const passes = ACCESS_LEVELS.map((level) => AccessPolicy.meets(VIEWERS[name], level));
    const firstFailure = passes.indexOf(false);
    if (firstFailure >= 0) expect(passes.slice(firstFailure).every((p) => !p)).toBe(true);
  });
});

describe('AccessPolicy.visibleLevels', () => {
  it.each(Object.keys(VIEWERS))('lists exactly what a %s viewer can see, in order', (name) => {
    const expected = VISIBILITIES.filter((_, i) => CAN_SEE[name][i]);
    expect(AccessPolicy.visibleLevels(VIEWERS[name])).toEqual(expected);
  });

  it('gives anonymous visitors public content only', () => {
    expect(AccessPolicy.visibleLevels(null)).toEqual(['public']);
    expect(AccessPolicy.visibleLevels(undefined)).toEqual(['public']);
  });
});
