import { Entity, Index, PrimaryKey, Property, Trigger } from '@mikro-orm/decorators/legacy';
import { ArrayType } from '@mikro-orm/core';
import { DateRangeError } from './membership.errors';
import { DEFAULT_PRIVACY, type PrivacySettings } from './privacy';
import { normalizeForSearch, searchText, searchTokens, toKatakana } from '@libs/search/japanese-text';

export interface CareerEntry {
  department: string;
  position: string;
  /** 'YYYY-MM' */
  from: string;
  /** 'YYYY-MM', or null while it lasts */
  to: string | null;
}

export interface Qualification {
  name: string;
  year: number | null;
}

export interface Interests {
  business: string[];
  hobby: string[];
  volunteer: string[];
}

export interface BasicInfo {
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  romajiName?: string | null;
  birthDate?: string | null;
  lastDepartment?: string | null;
  lastPosition?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  location?: string | null;
  joinedYear?: number | null;
  leftYear?: number | null;
}

export interface AfterCareer {
  currentCompany?: string | null;
  currentIndustry?: string | null;
  currentPosition?: string | null;
}

export interface OpenTo {
  openToComeback: boolean;
  openToOffers: boolean;
  openToSideWork: boolean;
}

/**
 * A one-line field as the member typed it: trimmed, line breaks and tabs become spaces, other control characters go.
 * The characters themselves are kept (①, ㈱, Ⅱ, ｶﾅ, 髙); only the search columns fold them.
 */
const clean = (s: string | null | undefined) => {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const v = s?.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return v ? v : null;
};
/** Tags as typed, without repeats: two tags that only differ in width, case or kana are one (the first is kept). */
const cleanTags = (tags: string[]) => {
  const byKey = new Map<string, string>();
  for (const tag of tags) {
    const v = clean(tag);
    if (v && !byKey.has(normalizeForSearch(v))) byKey.set(normalizeForSearch(v), v);
  }
  return [...byKey.values()];
};

/** The fields the search columns are made from (a Profile, or a row read by a re-indexing migration). */
export interface ProfileSearchSource {
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  romajiName: string | null;
  lastDepartment: string | null;
  lastPosition: string | null;
  location: string | null;
  skills: string[];
  qualifications: Qualification[];
  interests: Interests;
  bio: string | null;
  careerAtCompany: CareerEntry[];
  currentCompany: string | null;
  currentIndustry: string | null;
  currentPosition: string | null;
}

export interface ProfileSearchColumns {
  searchName: string;
  searchPublic: string;
  searchPublicTokens: string[];
  searchCareer: string;
  searchCareerTokens: string[];
  searchEmployer: string;
  searchEmployerTokens: string[];
  skillsNorm: string[];
  interestsNorm: string[];
}

/**
 * The directory's search columns of a profile, split by privacy group so that a field hidden from a viewer never makes
 * a member match for that viewer. Every key goes through libs/search (the one folding of search keys).
 */
export function profileSearchColumns(p: ProfileSearchSource): ProfileSearchColumns {
  const names = [p.familyName + p.givenName, p.familyNameKana + p.givenNameKana, p.romajiName];
  const interests = [...(p.interests.business ?? []), ...(p.interests.hobby ?? []), ...(p.interests.volunteer ?? [])];
  const publicParts = [
    ...names,
    p.lastDepartment,
    p.lastPosition,
    p.location,
    ...p.skills,
    ...p.qualifications.map((q) => q.name),
    ...interests,
    p.bio,
  ];
  const careerParts = p.careerAtCompany.flatMap((c) => [c.department, c.position]);
  const employerParts = [p.currentCompany, p.currentIndustry, p.currentPosition];
  return {
    searchName: searchText(...names),
    searchPublic: searchText(...publicParts),
    searchPublicTokens: searchTokens(...publicParts),
    searchCareer: searchText(...careerParts),
    searchCareerTokens: searchTokens(...careerParts),
    searchEmployer: searchText(...employerParts),
    searchEmployerTokens: searchTokens(...employerParts),
    skillsNorm: [...new Set(p.skills.map(normalizeForSearch).filter(Boolean))],
    interestsNorm: [...new Set(interests.map(normalizeForSearch).filter(Boolean))],
  };
}

/** What a member tells the community about themselves, with their privacy choices. */
@Entity({ schema: 'membership', tableName: 'profile' })
@Trigger({
  name: 'profile_take_member_status',
  timing: 'before',
  events: ['insert'],
  body: 'new.member_status := (select status from membership.member where id = new.member_id); return new',
})
@Index({ name: 'profile_kana_order_idx', properties: ['familyNameKana', 'givenNameKana', 'memberId'] })
@Index({ name: 'profile_skills_norm_idx', properties: ['skillsNorm'], type: 'gin' })
@Index({ name: 'profile_interests_norm_idx', properties: ['interestsNorm'], type: 'gin' })
@Index({ name: 'profile_department_idx', properties: ['lastDepartment'] })
// The directory's partial indexes (only listed, approved members); see Migration20261205140000_directory_listed.
@Index({ name: 'profile_directory_keys_idx', expression: `create index "profile_directory_keys_idx" on "membership"."profile" using gin (membership.directory_keys(member_id, member_status, search_public_tokens, search_career_tokens, search_employer_tokens, skills_norm, interests_norm, last_department, left_year, location, open_to_comeback, open_to_offers, open_to_side_work)) where listed and member_status in ('employee', 'alumni')` })
@Index({ name: 'profile_directory_name_idx', expression: `create index "profile_directory_name_idx" on "membership"."profile" using gin (membership.search_grams(search_name)) where listed and member_status in ('employee', 'alumni')` })
@Index({ name: 'profile_directory_kana_idx', expression: `create index "profile_directory_kana_idx" on "membership"."profile" ("family_name_kana", "given_name_kana", "member_id") where listed and member_status in ('employee', 'alumni')` })
@Index({ name: 'profile_directory_status_kana_idx', expression: `create index "profile_directory_status_kana_idx" on "membership"."profile" ("member_status", "family_name_kana", "given_name_kana", "member_id") where listed and member_status in ('employee', 'alumni')` })
@Index({ name: 'profile_directory_newest_idx', expression: `create index "profile_directory_newest_idx" on "membership"."profile" ("created_at" desc, "member_id") where listed and member_status in ('employee', 'alumni')` })
@Index({ name: 'profile_directory_status_newest_idx', expression: `create index "profile_directory_status_newest_idx" on "membership"."profile" ("member_status", "created_at" desc, "member_id") where listed and member_status in ('employee', 'alumni')` })
@Index({ name: 'profile_left_year_idx', properties: ['leftYear'] })
@Index({ name: 'profile_recent_department_idx', properties: ['lastDepartment', 'createdAt'], where: "member_status in ('employee', 'alumni')" })
@Index({ name: 'profile_recent_left_year_idx', properties: ['leftYear', 'createdAt'], where: "member_status in ('employee', 'alumni')" })
@Index({ name: 'profile_recent_joined_year_idx', properties: ['joinedYear', 'createdAt'], where: "member_status in ('employee', 'alumni')" })
export class Profile {
  /** Same id as the member's account. */
  @PrimaryKey({ type: 'uuid' })
  memberId: string;

  @Property({ type: 'text' })
  familyName: string;

  @Property({ type: 'text' })
  givenName: string;

  @Property({ type: 'text' })
  familyNameKana: string;

  @Property({ type: 'text' })
  givenNameKana: string;

  @Property({ type: 'text', nullable: true })
  romajiName: string | null = null;

  @Property({ type: 'date', nullable: true })
  birthDate: string | null = null;

  @Property({ type: 'text', nullable: true })
  lastDepartment: string | null = null;

  @Property({ type: 'text', nullable: true })
  lastPosition: string | null = null;

  @Property({ type: 'integer', nullable: true })
  joinedYear: number | null = null;

  @Property({ type: 'integer', nullable: true })
  leftYear: number | null = null;

  @Property({ type: 'text', nullable: true })
  contactEmail: string | null = null;

  @Property({ type: 'text', nullable: true })
  contactPhone: string | null = null;

  @Property({ type: 'text', nullable: true })
  location: string | null = null;

  /** The profile photo in the image store (libs/images): a random id, new for every upload. */
  @Property({ type: 'text', nullable: true })
  photoId: string | null = null;

  /**
   * A photo stored as uploaded, before the image pipeline (`<UPLOAD_DIR>/photos/<key>`): never served; the
   * re-encoding job turns it into `photoId` and removes the file.
   */
  @Property({ type: 'text', nullable: true })
  legacyPhotoKey: string | null = null;

  @Property({ type: 'json' })
  careerAtCompany: CareerEntry[] = [];

  @Property({ type: 'text', nullable: true })
  currentCompany: string | null = null;

  @Property({ type: 'text', nullable: true })
  currentIndustry: string | null = null;

  @Property({ type: 'text', nullable: true })
  currentPosition: string | null = null;

  @Property({ type: 'json' })
  skills: string[] = [];

  @Property({ type: 'json' })
  qualifications: Qualification[] = [];

  @Property({ type: 'json' })
  interests: Interests = { business: [], hobby: [], volunteer: [] };

  @Property({ type: 'text', nullable: true })
  bio: string | null = null;

  @Property({ type: 'boolean' })
  openToComeback = false;

  @Property({ type: 'boolean' })
  openToOffers = false;

  @Property({ type: 'boolean' })
  openToSideWork = false;

  @Property({ type: 'json' })
  privacy: PrivacySettings = { ...DEFAULT_PRIVACY };

  /**
   * Shown to other members (directory, search, profile page). False while the member has withdrawn their consent to
   * the community purpose (Privacy owns consent; Membership follows its integration events). The member themselves and
   * the community office / HR still see them.
   */
  @Property({ type: 'boolean', default: true })
  listed = true;

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  /** When the member joined the community (the directory's "newest members" order). */
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  // Directory search (see search-text.ts). Kept in step with the fields by every method that changes them;
  // split by privacy group so that a field hidden from a viewer never makes a member match for that viewer.

  /** Names (kanji, kana, romaji), normalised: a match here ranks first. */
  @Property({ type: 'text', lazy: true, default: '' })
  searchName = '';

  /** Fields every member sees: names, department, position, location, skills, qualifications, interests, bio. */
  @Property({ type: 'text', lazy: true, default: '' })
  searchPublic = '';

  @Property({ type: ArrayType, columnType: 'text[]', lazy: true, defaultRaw: `'{}'` })
  searchPublicTokens: string[] = [];

  /** Career at the company (privacy group "career"). */
  @Property({ type: 'text', lazy: true, default: '' })
  searchCareer = '';

  @Property({ type: ArrayType, columnType: 'text[]', lazy: true, defaultRaw: `'{}'` })
  searchCareerTokens: string[] = [];

  /** Current employer, industry and position (privacy group "currentEmployer"). */
  @Property({ type: 'text', lazy: true, default: '' })
  searchEmployer = '';

  @Property({ type: ArrayType, columnType: 'text[]', lazy: true, defaultRaw: `'{}'` })
  searchEmployerTokens: string[] = [];

  /** The member's status, copied by database triggers from membership.member (never written by the application). */
  @Property({ type: 'text', nullable: true, lazy: true })
  memberStatus?: string;

  /** Skills and interests as normalised tags, for the exact-tag filters. */
  @Property({ type: ArrayType, columnType: 'text[]', lazy: true, defaultRaw: `'{}'` })
  skillsNorm: string[] = [];

  @Property({ type: ArrayType, columnType: 'text[]', lazy: true, defaultRaw: `'{}'` })
  interestsNorm: string[] = [];

  constructor(memberId: string, basic: BasicInfo) {
    this.memberId = memberId;
    this.familyName = '';
    this.givenName = '';
    this.familyNameKana = '';
    this.givenNameKana = '';
    this.updateBasicInfo(basic);
  }

  get displayName(): string {
    return `${this.familyName} ${this.givenName}`;
  }

  updateBasicInfo(basic: BasicInfo): void {
    const joined = basic.joinedYear !== undefined ? basic.joinedYear : this.joinedYear;
    const left = basic.leftYear !== undefined ? basic.leftYear : this.leftYear;
    if (joined && left && left < joined) throw new DateRangeError('leftYear');
    if (basic.birthDate && basic.birthDate > new Date().toISOString().slice(0, 10)) throw new DateRangeError('birthDate');
    this.familyName = clean(basic.familyName) ?? '';
    this.givenName = clean(basic.givenName) ?? '';
    // Readings typed in hiragana are kept in katakana, the script the directory's 50-on order sorts on; that is the
    // only conversion of a stored value (no width or other folding).
    this.familyNameKana = toKatakana(clean(basic.familyNameKana) ?? '');
    this.givenNameKana = toKatakana(clean(basic.givenNameKana) ?? '');
    if (basic.romajiName !== undefined) this.romajiName = clean(basic.romajiName);
    if (basic.birthDate !== undefined) this.birthDate = basic.birthDate || null;
    if (basic.lastDepartment !== undefined) this.lastDepartment = clean(basic.lastDepartment);
    if (basic.lastPosition !== undefined) this.lastPosition = clean(basic.lastPosition);
    if (basic.contactEmail !== undefined) this.contactEmail = clean(basic.contactEmail);
    if (basic.contactPhone !== undefined) this.contactPhone = clean(basic.contactPhone);
    if (basic.location !== undefined) this.location = clean(basic.location);
    if (basic.joinedYear !== undefined) this.joinedYear = basic.joinedYear ?? null;
    if (basic.leftYear !== undefined) this.leftYear = basic.leftYear ?? null;
    this.refreshSearch();
  }

  /** Career at the company, oldest first; each entry must end after it starts. */
  replaceCareer(entries: CareerEntry[]): void {
    entries.forEach((e, i) => {
      if (e.to && e.to < e.from) throw new DateRangeError(`career.${i}.to`);
    });
    this.careerAtCompany = entries
      .map((e) => ({ department: clean(e.department) ?? '', position: clean(e.position) ?? '', from: e.from, to: e.to || null }))
      .sort((a, b) => a.from.localeCompare(b.from));
    this.refreshSearch();
  }

  /** Closes the open career entry when the member leaves the company. */
  closeCareer(departedOn: string): void {
    const month = departedOn.slice(0, 7);
    for (const entry of this.careerAtCompany) if (!entry.to) entry.to = month < entry.from ? entry.from : month;
    this.careerAtCompany = [...this.careerAtCompany];
    this.leftYear ??= Number(departedOn.slice(0, 4));
    this.refreshSearch();
  }

  updateAfterCareer(after: AfterCareer): void {
    this.currentCompany = clean(after.currentCompany);
    this.currentIndustry = clean(after.currentIndustry);
    this.currentPosition = clean(after.currentPosition);
    this.refreshSearch();
  }

  updateSkillsAndInterests(input: { skills: string[]; qualifications: Qualification[]; interests: Interests; bio?: string | null }): void {
    this.skills = cleanTags(input.skills);
    this.qualifications = input.qualifications
      .map((q) => ({ name: clean(q.name) ?? '', year: q.year ?? null }))
      .filter((q) => q.name);
    this.interests = {
      business: cleanTags(input.interests.business),
      hobby: cleanTags(input.interests.hobby),
      volunteer: cleanTags(input.interests.volunteer),
    };
    if (input.bio !== undefined) this.bio = input.bio?.trim() || null;
    this.refreshSearch();
  }

  updateOpenTo(flags: OpenTo): void {
    this.openToComeback = flags.openToComeback;
    this.openToOffers = flags.openToOffers;
    this.openToSideWork = flags.openToSideWork;
  }

  updatePrivacy(settings: PrivacySettings): void {
    this.privacy = { ...settings };
  }

  /** Recomputes the search columns from the fields. */
  refreshSearch(): void {
    Object.assign(this, profileSearchColumns(this));
  }

  /** Answers the previous photo's image id, to be released once the change has committed. */
  setPhoto(imageId: string | null): string | null {
    const previous = this.photoId;
    this.photoId = imageId;
    return previous;
  }

  /**
   * The re-encoding job made `imageId` from the photo stored as uploaded under `legacyKey`. A photo set since (by the
   * member) wins. Answers whether `imageId` became the photo.
   */
  adoptReencodedPhoto(legacyKey: string, imageId: string | null): boolean {
    if (this.legacyPhotoKey !== legacyKey) return false;
    this.legacyPhotoKey = null;
    if (this.photoId || !imageId) return false;
    this.photoId = imageId;
    return true;
  }

  /**
   * The member deleted their account: every field is emptied (the row stays so that lists joining it still find the
   * account, shown as 退会したメンバー), privacy goes back to the defaults and the search columns are cleared.
   * Answers the photo (image id, and a photo stored as uploaded before the image pipeline) to be removed.
   */
  erase(): { photoId: string | null; legacyPhotoKey: string | null } {
    const photo = { photoId: this.photoId, legacyPhotoKey: this.legacyPhotoKey };
    this.familyName = '';
    this.givenName = '';
    this.familyNameKana = '';
    this.givenNameKana = '';
    this.romajiName = null;
    this.birthDate = null;
    this.lastDepartment = null;
    this.lastPosition = null;
    this.joinedYear = null;
    this.leftYear = null;
    this.contactEmail = null;
    this.contactPhone = null;
    this.location = null;
    this.photoId = null;
    this.legacyPhotoKey = null;
    this.careerAtCompany = [];
    this.currentCompany = null;
    this.currentIndustry = null;
    this.currentPosition = null;
    this.skills = [];
    this.qualifications = [];
    this.interests = { business: [], hobby: [], volunteer: [] };
    this.bio = null;
    this.updateOpenTo({ openToComeback: false, openToOffers: false, openToSideWork: false });
    this.privacy = { ...DEFAULT_PRIVACY };
    this.refreshSearch();
    return photo;
  }
}

