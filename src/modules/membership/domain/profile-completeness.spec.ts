import { profileCompleteness, type CompletenessInput } from './profile-completeness';

const empty = (status: string): CompletenessInput => ({
  status,
  photoId: null,
  lastDepartment: null,
  joinedYear: null,
  careerAtCompany: [],
  currentCompany: null,
  currentIndustry: null,
  currentPosition: null,
  skills: [],
  interests: { business: [], hobby: [], volunteer: [] },
  bio: null,
});

const full = (status: string): CompletenessInput => ({
  ...empty(status),
  photoId: '0123456789abcdef0123456789abcdef',
  lastDepartment: '営業部',
  joinedYear: 2010,
  careerAtCompany: [{ department: '営業部', position: '主任', from: '2010-04', to: null }],
  currentCompany: status === 'alumni' ? '株式会社サンプル' : null,
  skills: ['法人営業'],
  interests: { business: [], hobby: ['登山'], volunteer: [] },
  bio: 'よろしくお願いします。',
});

describe('profile completeness', () => {
  it('asks an alumnus for all seven sections, in the order of the edit page', () => {
    expect(profileCompleteness(empty('alumni'))).toEqual({
      percent: 0,
      missing: ['photo', 'basics', 'career', 'currentWork', 'skills', 'interests', 'bio'],
      total: 7,
    });
  });

  it('does not ask a current employee for current work elsewhere', () => {
    expect(profileCompleteness(empty('employee'))).toEqual({ percent: 0, missing: ['photo', 'basics', 'career', 'skills', 'interests', 'bio'], total: 6 });
    expect(profileCompleteness(full('employee'))).toEqual({ percent: 100, missing: [], total: 6 });
  });

  it('counts each section the same and rounds down, so only a complete profile shows 100', () => {
    expect(profileCompleteness(full('alumni'))).toEqual({ percent: 100, missing: [], total: 7 });
    expect(profileCompleteness({ ...full('alumni'), bio: '   ' })).toEqual({ percent: 85, missing: ['bio'], total: 7 });
    expect(profileCompleteness({ ...full('alumni'), photoId: null, skills: [] })).toEqual({ percent: 71, missing: ['photo', 'skills'], total: 7 });
  });

  it('needs both the department and the year joined for the basics, and any interest or any current-work field', () => {
    expect(profileCompleteness({ ...full('alumni'), joinedYear: null }).missing).toEqual(['basics']);
    expect(profileCompleteness({ ...full('alumni'), lastDepartment: ' ' }).missing).toEqual(['basics']);
    expect(profileCompleteness({ ...full('alumni'), currentCompany: null, currentIndustry: 'IT' }).missing).toEqual([]);
    expect(profileCompleteness({ ...full('alumni'), interests: { business: ['新規事業'], hobby: [], volunteer: [] } }).missing).toEqual([]);
    expect(profileCompleteness({ ...full('alumni'), interests: { business: [], hobby: [], volunteer: [] } }).missing).toEqual(['interests']);
  });
});
