import { testViewer } from '@libs/testing';
import { DEFAULT_PRIVACY, type PrivacySettings } from './privacy';
import { restrictedFieldsShown, type RestrictedValues } from './restricted-fields';

const OWNER = '00000000-0000-4000-8000-0000000000ff';
const FULL: RestrictedValues = {
  contactEmail: 'hanako@example.net',
  contactPhone: '090-1234-5678',
  birthDate: '1988-05-01',
  careerEntries: 2,
  currentCompany: '株式会社みらい',
  currentIndustry: null,
  currentPosition: null,
};
const EMPTY: RestrictedValues = { contactEmail: null, contactPhone: null, birthDate: null, careerEntries: 0, currentCompany: null, currentIndustry: null, currentPosition: null };
const ALL_OPERATORS: PrivacySettings = { contact: 'operators', birthDate: 'operators', career: 'operators', currentEmployer: 'operators' };

describe('restrictedFieldsShown', () => {
  it('with the default settings: an operator is shown the contact details, an admin also the birth date', () => {
    expect(restrictedFieldsShown(testViewer('alumni', 'operator'), OWNER, DEFAULT_PRIVACY, FULL)).toEqual(['contactEmail', 'contactPhone']);
    expect(restrictedFieldsShown(testViewer('employee', 'admin'), OWNER, DEFAULT_PRIVACY, FULL)).toEqual(['contactEmail', 'contactPhone', 'birthDate']);
  });

  it('lists nothing for members without a role, and for the owner whatever their role', () => {
    expect(restrictedFieldsShown(testViewer('employee'), OWNER, ALL_OPERATORS, FULL)).toEqual([]);
    expect(restrictedFieldsShown(testViewer('alumni', 'admin', OWNER), OWNER, { ...ALL_OPERATORS, birthDate: 'private' }, FULL)).toEqual([]);
  });

  it('does not count what the viewer would see anyway as a member', () => {
    const everyone: PrivacySettings = { contact: 'members', birthDate: 'members', career: 'members', currentEmployer: 'members' };
    expect(restrictedFieldsShown(testViewer('employee', 'admin'), OWNER, everyone, FULL)).toEqual([]);
    // "employees and the office": an employee operator sees it as an employee; an alumni operator only as an operator.
    const employees: PrivacySettings = { ...everyone, career: 'employees' };
    expect(restrictedFieldsShown(testViewer('employee', 'operator'), OWNER, employees, FULL)).toEqual([]);
    expect(restrictedFieldsShown(testViewer('alumni', 'operator'), OWNER, employees, FULL)).toEqual(['career']);
  });

  it('lists every group limited to the office, and private groups for admins only', () => {
    expect(restrictedFieldsShown(testViewer('alumni', 'operator'), OWNER, ALL_OPERATORS, FULL)).toEqual(['contactEmail', 'contactPhone', 'birthDate', 'career', 'currentEmployer']);
    const allPrivate: PrivacySettings = { contact: 'private', birthDate: 'private', career: 'private', currentEmployer: 'private' };
    expect(restrictedFieldsShown(testViewer('alumni', 'operator'), OWNER, allPrivate, FULL)).toEqual([]);
    expect(restrictedFieldsShown(testViewer('alumni', 'admin'), OWNER, allPrivate, FULL)).toEqual(['contactEmail', 'contactPhone', 'birthDate', 'career', 'currentEmployer']);
  });

  it('lists only fields that hold something', () => {
    expect(restrictedFieldsShown(testViewer('employee', 'admin'), OWNER, ALL_OPERATORS, EMPTY)).toEqual([]);
    expect(restrictedFieldsShown(testViewer('employee', 'admin'), OWNER, ALL_OPERATORS, { ...EMPTY, contactPhone: '03-0000-0000', currentPosition: '部長' })).toEqual(['contactPhone', 'currentEmployer']);
  });
});
