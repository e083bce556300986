import { randomUUID } from 'node:crypto';
import { thrownBy } from '@libs/testing';
import { deletedMemberEmail, Member } from '../../domain/member.entity';
import { InvalidStatusChangeError } from '../../domain/membership.errors';
import { DEFAULT_PRIVACY } from '../../domain/privacy';
import { Profile } from '../../domain/profile.entity';
import { deletedMemberName } from './deleted-member';

describe('erasing an account (Member.erase, Profile.erase)', () => {
  function applicant(): Member {
    const m = Member.apply({ email: 'Hanako.Sato@Example.jp', passwordHash: 'hash', appliedAs: 'alumni', note: '営業部にいました', locale: 'en' });
    m.verifyEmail();
    return m;
  }

  it('keeps only the id: the address becomes a unique undeliverable one, the password and every free text go', () => {
    const m = Member.seeded({ email: 'taro@example.jp', passwordHash: 'hash', status: 'alumni', role: 'operator', departedOn: '2024-03-31' });
    m.recordLogin();
    const version = m.sessionVersion;
    const now = new Date('2026-11-24T00:00:00Z');
    m.erase(now);
    expect(m).toMatchObject({
      email: `deleted-${m.id}@deleted.invalid`,
      passwordHash: undefined,
      emailVerifiedAt: undefined,
      status: 'deleted',
      role: 'member',
      locale: undefined,
      departedOn: undefined,
      lastLoginAt: undefined,
      deletedAt: now,
    });
    expect(m.sessionVersion).toBe(version + 1);
    expect(m.isDeleted).toBe(true);
    expect(m.email).toBe(deletedMemberEmail(m.id));
    expect(deletedMemberEmail(randomUUID())).not.toBe(m.email);
  });

  it('withdraws a pending application and drops its message; a decided one stays a fact without its text', () => {
    const pending = applicant();
    pending.erase();
    expect([pending.applicationState, pending.applicationNote, pending.appliedAs]).toEqual([undefined, undefined, 'alumni']);

    const declined = applicant();
    declined.decline(randomUUID(), '確認できませんでした');
    declined.erase();
    expect([declined.applicationState, declined.declineReason]).toEqual(['declined', undefined]);
  });

  it('cannot be erased twice, suspended once erased, or given a role', () => {
    const m = Member.seeded({ email: 'x@example.jp', status: 'employee' });
    m.erase();
    expect(thrownBy(() => m.erase())).toBeInstanceOf(InvalidStatusChangeError);
    expect(thrownBy(() => m.suspend(randomUUID(), 'x'))).toBeInstanceOf(InvalidStatusChangeError);
    expect(thrownBy(() => m.changeRole('admin', randomUUID()))).toBeInstanceOf(InvalidStatusChangeError);
    expect(m.status).toBe('deleted');
  });

  it('empties every profile field and the search columns, and hands back the photo to remove', () => {
    const p = new Profile(randomUUID(), {
      familyName: '佐藤',
      givenName: '花子',
      familyNameKana: 'サトウ',
      givenNameKana: 'ハナコ',
      romajiName: 'Hanako Sato',
      birthDate: '1985-04-01',
      lastDepartment: '人事部',
      lastPosition: '課長',
      contactEmail: 'hanako@personal.example.jp',
      contactPhone: '090-0000-0000',
      location: '東京都',
      joinedYear: 2008,
      leftYear: 2020,
    });
    p.replaceCareer([{ department: '人事部', position: '課長', from: '2008-04', to: '2020-03' }]);
    p.updateAfterCareer({ currentCompany: '株式会社みらい', currentIndustry: 'IT', currentPosition: 'CTO' });
    p.updateSkillsAndInterests({ skills: ['採用'], qualifications: [{ name: '社労士', year: 2015 }], interests: { business: ['HR Tech'], hobby: ['登山'], volunteer: ['子ども食堂'] }, bio: 'よろしく' });
    p.updateOpenTo({ openToComeback: true, openToOffers: true, openToSideWork: true });
    p.updatePrivacy({ contact: 'members', birthDate: 'members', career: 'private', currentEmployer: 'private' });
    p.setPhoto('0123456789abcdef0123456789abcdef');
    p.legacyPhotoKey = `${p.memberId}-0123456789abcdef.png`;
    expect(p.searchPublicTokens.length).toBeGreaterThan(0);

    expect(p.erase()).toEqual({ photoId: '0123456789abcdef0123456789abcdef', legacyPhotoKey: `${p.memberId}-0123456789abcdef.png` });
    expect(p).toMatchObject({
      familyName: '',
      givenName: '',
      familyNameKana: '',
      givenNameKana: '',
      romajiName: null,
      birthDate: null,
      lastDepartment: null,
      lastPosition: null,
      joinedYear: null,
      leftYear: null,
      contactEmail: null,
      contactPhone: null,
      location: null,
      photoId: null,
      legacyPhotoKey: null,
      careerAtCompany: [],
      currentCompany: null,
      currentIndustry: null,
      currentPosition: null,
      skills: [],
      qualifications: [],
      interests: { business: [], hobby: [], volunteer: [] },
      bio: null,
      openToComeback: false,
      openToOffers: false,
      openToSideWork: false,
      privacy: DEFAULT_PRIVACY,
      searchName: '',
      searchPublic: '',
      searchPublicTokens: [],
      searchCareer: '',
      searchCareerTokens: [],
      searchEmployer: '',
      searchEmployerTokens: [],
      skillsNorm: [],
      interestsNorm: [],
    });
    // Erasing again finds no photo to remove.
    expect(p.erase()).toEqual({ photoId: null, legacyPhotoKey: null });
  });

  it('names a deleted member in the reader’s language', () => {
    expect(deletedMemberName('ja')).toBe('退会したメンバー');
    expect(deletedMemberName('en')).toBe('Deleted member');
    expect(deletedMemberName(null)).toBe('退会したメンバー');
  });
});
