import type { Viewer } from '@libs/security/access-policy';
import { DEFAULT_PRIVACY, PRIVACY_GROUPS, PRIVACY_LEVELS, canSeeGroup, type PrivacyLevel, type PrivacySettings } from './privacy';
import { testViewer } from '@libs/testing';

const OWNER_ID = '00000000-0000-4000-8000-0000000000ff';

const viewer = testViewer;

const VIEWERS: Record<string, Viewer | null> = {
  anonymous: null,
  pending: viewer('pending'),
  employee: viewer('employee'),
  alumni: viewer('alumni'),
  'operator (alumni)': viewer('alumni', 'operator'),
  'operator (employee)': viewer('employee', 'operator'),
  'admin (employee)': viewer('employee', 'admin'),
  suspended: viewer('suspended'),
  'suspended operator': viewer('suspended', 'operator'),
  owner: viewer('alumni', 'member', OWNER_ID),
  'pending owner': viewer('pending', 'member', OWNER_ID),
  'suspended owner': viewer('suspended', 'member', OWNER_ID),
};

/** Columns follow PRIVACY_LEVELS: members, employees, operators, private. */
const EXPECTED: Record<string, boolean[]> = {
  anonymous: [false, false, false, false],
  pending: [false, false, false, false],
  employee: [true, true, false, false],
  alumni: [true, false, false, false],
  'operator (alumni)': [true, true, true, false],
  'operator (employee)': [true, true, true, false],
  'admin (employee)': [true, true, true, true],
  suspended: [false, false, false, false],
  'suspended operator': [false, false, false, false],
  owner: [true, true, true, true],
  'pending owner': [true, true, true, true],
  'suspended owner': [false, false, false, false],
};

const everything = (level: PrivacyLevel): PrivacySettings => ({ contact: level, birthDate: level, career: level, currentEmployer: level });

describe('canSeeGroup', () => {
  it('has a column for every privacy level', () => {
    expect(PRIVACY_LEVELS).toEqual(['members', 'employees', 'operators', 'private']);
    for (const row of Object.values(EXPECTED)) expect(row).toHaveLength(PRIVACY_LEVELS.length);
  });

  const cases = Object.entries(EXPECTED).flatMap(([name, row]) =>
    PRIVACY_LEVELS.flatMap((level, i) => PRIVACY_GROUPS.map((group) => [name, group, level, row[i]] as const)),
  );

  it.each(cases)('%s viewer, %s shown to %s → %s', (name, group, level, expected) => {
    expect(canSeeGroup(VIEWERS[name], OWNER_ID, everything(level), group)).toBe(expected);
  });

  it('applies each group its own setting', () => {
    const settings: PrivacySettings = { contact: 'private', birthDate: 'operators', career: 'members', currentEmployer: 'employees' };
    const alumnus = VIEWERS.alumni;
    expect(PRIVACY_GROUPS.filter((g) => canSeeGroup(alumnus, OWNER_ID, settings, g))).toEqual(['career']);
    const employee = VIEWERS.employee;
    expect(PRIVACY_GROUPS.filter((g) => canSeeGroup(employee, OWNER_ID, settings, g))).toEqual(['career', 'currentEmployer']);
  });

  it('falls back to the default for a group with no stored setting', () => {
    const settings = { career: 'private' } as unknown as PrivacySettings;
    const operator = VIEWERS['operator (alumni)'];
    expect(canSeeGroup(operator, OWNER_ID, settings, 'contact')).toBe(true);
    expect(canSeeGroup(VIEWERS.alumni, OWNER_ID, settings, 'contact')).toBe(false);
    expect(canSeeGroup(operator, OWNER_ID, settings, 'birthDate')).toBe(false);
    expect(canSeeGroup(VIEWERS.alumni, OWNER_ID, settings, 'currentEmployer')).toBe(true);
    expect(canSeeGroup(VIEWERS.alumni, OWNER_ID, settings, 'career')).toBe(false);
  });

  it('keeps contact details with operators and birth dates private by default', () => {
    expect(DEFAULT_PRIVACY).toEqual({ contact: 'operators', birthDate: 'private', career: 'members', currentEmployer: 'members' });
  });
});
