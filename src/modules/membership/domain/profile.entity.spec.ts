import { DateRangeError } from './membership.errors';
import { DEFAULT_PRIVACY } from './privacy';
import { toKatakana } from '@libs/search/japanese-text';
import { Profile, type BasicInfo, type CareerEntry } from './profile.entity';
import { thrownBy } from '@libs/testing';

const MEMBER_ID = '00000000-0000-4000-8000-0000000000aa';

const basic = (over: Partial<BasicInfo> = {}): BasicInfo => ({
  familyName: '佐藤',
  givenName: '花子',
  familyNameKana: 'サトウ',
  givenNameKana: 'ハナコ',
  ...over,
});

const profile = (over: Partial<BasicInfo> = {}) => new Profile(MEMBER_ID, basic(over));

const entry = (from: string, to: string | null, department = '営業部', position = ''): CareerEntry => ({ department, position, from, to });

function isoDate(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

describe('toKatakana', () => {
  it('turns hiragana into katakana and leaves everything else alone', () => {
    expect(toKatakana('さとう')).toBe('サトウ');
    expect(toKatakana('ぢゃゔぁっ')).toBe('ヂャヴァッ');
    expect(toKatakana('サトウ')).toBe('サトウ');
    expect(toKatakana('やまだ ーabc漢字')).toBe('ヤマダ ーabc漢字');
    expect(toKatakana('')).toBe('');
  });
});

describe('Profile basic information', () => {
  it('belongs to the member and starts with the default privacy and no career', () => {
    const p = profile();
    expect(p.memberId).toBe(MEMBER_ID);
    expect(p.displayName).toBe('佐藤 花子');
    expect(p.privacy).toEqual(DEFAULT_PRIVACY);
    expect(p.privacy).not.toBe(DEFAULT_PRIVACY);
    expect(p.careerAtCompany).toEqual([]);
  });

  it('stores name readings typed in hiragana as katakana', () => {
    const p = profile({ familyNameKana: 'さとう', givenNameKana: 'はなこ' });
    expect(p.familyNameKana).toBe('サトウ');
    expect(p.givenNameKana).toBe('ハナコ');
  });

  it('keeps half-width katakana readings as typed, and writes hiragana readings in katakana', () => {
    const p = profile({ familyNameKana: 'ｻﾄｳ', givenNameKana: 'はなこ' });
    expect(p.familyNameKana).toBe('ｻﾄｳ');
    expect(p.givenNameKana).toBe('ハナコ');
    // search keys still fold them: a search for さとう finds ｻﾄｳ
    expect(p.searchName).toContain('さとう');
  });

  it('trims names and keeps every character as typed (①, ㈱, Ⅱ, full-width letters, variant kanji)', () => {
    const p = profile({
      familyName: '  髙橋 ',
      givenName: '\u3000花子\u3000',
      romajiName: ' Ｈａｎａｋｏ Ｓａｔｏ ',
      location: '東京都　港区 ',
      lastDepartment: '㈱キズナ 第Ⅱ営業部',
      lastPosition: '①担当\n',
    });
    expect(p.familyName).toBe('髙橋');
    expect(p.givenName).toBe('花子');
    expect(p.romajiName).toBe('Ｈａｎａｋｏ Ｓａｔｏ');
    expect(p.location).toBe('東京都　港区');
    expect(p.lastDepartment).toBe('㈱キズナ 第Ⅱ営業部');
    expect(p.lastPosition).toBe('①担当');
    // the search columns fold: NFKC, case, variant kanji
    expect(p.searchName).toContain('高橋花子');
    expect(p.searchName).toContain('hanakosato');
    expect(p.searchPublic).toContain('(株)きずな第ii営業部');
    expect(p.searchPublic).toContain('1担当');
  });

  it('stores blank optional text as empty', () => {
    const p = profile({ lastDepartment: '   ', contactPhone: '', location: null });
    expect(p.lastDepartment).toBeNull();
    expect(p.contactPhone).toBeNull();
    expect(p.location).toBeNull();
  });

  it('keeps stored values for fields not sent and clears those sent as null', () => {
    const p = profile({ lastDepartment: '営業部', joinedYear: 2010, leftYear: 2020, birthDate: '1985-04-01' });
    p.updateBasicInfo(basic({ location: '大阪' }));
    expect(p.lastDepartment).toBe('営業部');
    expect(p.joinedYear).toBe(2010);
    expect(p.leftYear).toBe(2020);
    expect(p.birthDate).toBe('1985-04-01');
    expect(p.location).toBe('大阪');

    p.updateBasicInfo(basic({ lastDepartment: null, leftYear: null, birthDate: null }));
    expect(p.lastDepartment).toBeNull();
    expect(p.leftYear).toBeNull();
    expect(p.birthDate).toBeNull();
    expect(p.joinedYear).toBe(2010);
  });

  it('accepts leaving in the year of joining', () => {
    const p = profile({ joinedYear: 2015, leftYear: 2015 });
    expect(p.leftYear).toBe(2015);
  });

  it('rejects a leaving year before the joining year on the leftYear field', () => {
    const error = thrownBy(() => profile({ joinedYear: 2015, leftYear: 2014 }));
    expect(error).toBeInstanceOf(DateRangeError);
    expect(error).toMatchObject({ code: 'validation.dateRange', field: 'leftYear', status: 400 });
  });

  it('changes nothing when the years are rejected', () => {
    const p = profile({ joinedYear: 2010 });
    expect(() => p.updateBasicInfo(basic({ familyName: '鈴木', joinedYear: 2015, leftYear: 2014 }))).toThrow(DateRangeError);
    expect(p.familyName).toBe('佐藤');
    expect(p.joinedYear).toBe(2010);
  });

  it('rejects a leaving year before the joining year already on the profile', () => {
    const p = profile({ joinedYear: 2015 });
    const error = thrownBy(() => p.updateBasicInfo(basic({ leftYear: 2010 })));
    expect(error).toBeInstanceOf(DateRangeError);
    expect(error).toMatchObject({ field: 'leftYear' });
    expect(p.leftYear).toBeNull();
  });

  it('rejects a birth date in the future on the birthDate field', () => {
    const error = thrownBy(() => profile({ birthDate: isoDate(2) }));
    expect(error).toBeInstanceOf(DateRangeError);
    expect(error).toMatchObject({ field: 'birthDate' });
  });

  it('accepts a birth date in the past', () => {
    expect(profile({ birthDate: '1990-12-31' }).birthDate).toBe('1990-12-31');
  });
});

describe('Profile career at the company', () => {
  it('keeps entries oldest first whatever order they were typed in', () => {
    const p = profile();
    p.replaceCareer([entry('2018-04', null, '企画部'), entry('2010-04', '2014-03', '営業部'), entry('2014-04', '2018-03', '人事部')]);
    expect(p.careerAtCompany.map((e) => e.department)).toEqual(['営業部', '人事部', '企画部']);
  });

  it('cleans text and turns an empty end month into an open entry', () => {
    const p = profile();
    p.replaceCareer([{ department: ' 営業部 ', position: ' 課長 ', from: '2012-04', to: '' }]);
    expect(p.careerAtCompany).toEqual([{ department: '営業部', position: '課長', from: '2012-04', to: null }]);
  });

  it('accepts an entry that starts and ends in the same month', () => {
    const p = profile();
    p.replaceCareer([entry('2012-04', '2012-04')]);
    expect(p.careerAtCompany).toHaveLength(1);
  });

  it('rejects an entry ending before it starts, naming the row as typed', () => {
    const p = profile();
    p.replaceCareer([entry('2001-04', '2005-03')]);
    const error = thrownBy(() => p.replaceCareer([entry('2015-04', null), entry('2010-04', '2012-03'), entry('2012-04', '2011-03')]));
    expect(error).toBeInstanceOf(DateRangeError);
    expect(error).toMatchObject({ code: 'validation.dateRange', field: 'career.2.to' });
    expect(p.careerAtCompany).toEqual([entry('2001-04', '2005-03')]);
  });

  it('closes the open entry with the month of departure and records the leaving year', () => {
    const p = profile();
    p.replaceCareer([entry('2010-04', '2014-03', '営業部'), entry('2014-04', null, '企画部')]);
    p.closeCareer('2024-09-30');
    expect(p.careerAtCompany).toEqual([entry('2010-04', '2014-03', '営業部'), entry('2014-04', '2024-09', '企画部')]);
    expect(p.leftYear).toBe(2024);
  });

  it('never closes an entry before it starts', () => {
    const p = profile();
    p.replaceCareer([entry('2025-04', null)]);
    p.closeCareer('2025-01-31');
    expect(p.careerAtCompany[0].to).toBe('2025-04');
  });

  it('keeps a leaving year the member already gave', () => {
    const p = profile({ joinedYear: 2010, leftYear: 2023 });
    p.closeCareer('2024-03-31');
    expect(p.leftYear).toBe(2023);
  });

  it('replaces the career list so that the change is noticed', () => {
    const p = profile();
    p.replaceCareer([entry('2014-04', null)]);
    const before = p.careerAtCompany;
    p.closeCareer('2024-09-30');
    expect(p.careerAtCompany).not.toBe(before);
  });
});

describe('Profile after the company, skills and interests', () => {
  it('cleans the current employer, storing blanks as empty', () => {
    const p = profile();
    p.updateAfterCareer({ currentCompany: ' 株式会社ＡＢＣ ', currentIndustry: '  ', currentPosition: undefined });
    expect(p.currentCompany).toBe('株式会社ＡＢＣ');
    expect(p.currentIndustry).toBeNull();
    expect(p.currentPosition).toBeNull();
  });

  it('removes duplicate and blank tags after cleaning them, keeping the first order', () => {
    const p = profile();
    p.updateSkillsAndInterests({
      skills: ['TypeScript', ' ＴｙｐｅＳｃｒｉｐｔ ', '', '  ', '営業', 'SQL', '営業'],
      qualifications: [],
      interests: { business: ['DX', 'ＤＸ'], hobby: [' 登山 ', '登山'], volunteer: [''] },
    });
    expect(p.skills).toEqual(['TypeScript', '営業', 'SQL']);
    expect(p.interests).toEqual({ business: ['DX'], hobby: ['登山'], volunteer: [] });
  });

  it('drops qualifications without a name and keeps the year or none', () => {
    const p = profile();
    p.updateSkillsAndInterests({
      skills: [],
      qualifications: [
        { name: ' 基本情報技術者 ', year: 2012 },
        { name: '   ', year: 2015 },
        { name: '', year: null },
        { name: 'TOEIC 900', year: null },
      ],
      interests: { business: [], hobby: [], volunteer: [] },
    });
    expect(p.qualifications).toEqual([
      { name: '基本情報技術者', year: 2012 },
      { name: 'TOEIC 900', year: null },
    ]);
  });

  it('trims the bio, clears it when blank and keeps it when not sent', () => {
    const p = profile();
    const empty = { skills: [], qualifications: [], interests: { business: [], hobby: [], volunteer: [] } };
    p.updateSkillsAndInterests({ ...empty, bio: '  よろしくお願いします。\n' });
    expect(p.bio).toBe('よろしくお願いします。');
    p.updateSkillsAndInterests(empty);
    expect(p.bio).toBe('よろしくお願いします。');
    p.updateSkillsAndInterests({ ...empty, bio: '   ' });
    expect(p.bio).toBeNull();
  });

  it('stores the open-to flags and the privacy choices as given', () => {
    const p = profile();
    p.updateOpenTo({ openToComeback: true, openToOffers: false, openToSideWork: true });
    expect([p.openToComeback, p.openToOffers, p.openToSideWork]).toEqual([true, false, true]);
    const settings = { contact: 'members', birthDate: 'private', career: 'operators', currentEmployer: 'employees' } as const;
    p.updatePrivacy(settings);
    expect(p.privacy).toEqual(settings);
    expect(p.privacy).not.toBe(settings);
  });

  it('hands back the previous photo when a new one is set', () => {
    const p = profile();
    expect(p.setPhoto('a'.repeat(32))).toBeNull();
    expect(p.setPhoto('b'.repeat(32))).toBe('a'.repeat(32));
    expect(p.setPhoto(null)).toBe('b'.repeat(32));
    expect(p.photoId).toBeNull();
  });

  it('adopts the re-encoded legacy photo once, unless the member has set a photo since', () => {
    const p = profile();
    p.legacyPhotoKey = 'old.jpg';
    expect(p.adoptReencodedPhoto('other.jpg', 'c'.repeat(32))).toBe(false);
    expect(p.legacyPhotoKey).toBe('old.jpg');
    expect(p.adoptReencodedPhoto('old.jpg', 'c'.repeat(32))).toBe(true);
    expect([p.photoId, p.legacyPhotoKey]).toEqual(['c'.repeat(32), null]);
    expect(p.adoptReencodedPhoto('old.jpg', 'd'.repeat(32))).toBe(false);
    expect(p.photoId).toBe('c'.repeat(32));

    const newer = profile();
    newer.legacyPhotoKey = 'old.jpg';
    newer.setPhoto('e'.repeat(32));
    expect(newer.adoptReencodedPhoto('old.jpg', 'f'.repeat(32))).toBe(false);
    expect([newer.photoId, newer.legacyPhotoKey]).toEqual(['e'.repeat(32), null]);
  });
});
