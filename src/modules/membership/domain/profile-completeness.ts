import type { ProfileCompletenessView, ProfileSection } from '../contracts/home';
import type { CareerEntry, Interests } from './profile.entity';

/** The profile fields the completeness prompt looks at. */
export interface CompletenessInput {
  status: string;
  photoId: string | null;
  lastDepartment: string | null;
  joinedYear: number | null;
  careerAtCompany: CareerEntry[];
  currentCompany: string | null;
  currentIndustry: string | null;
  currentPosition: string | null;
  skills: string[];
  interests: Interests;
  bio: string | null;
}

const filled = (s: string | null | undefined) => !!s?.trim();

const CHECKS: { section: ProfileSection; applies?: (p: CompletenessInput) => boolean; done: (p: CompletenessInput) => boolean }[] = [
  { section: 'photo', done: (p) => !!p.photoId },
  { section: 'basics', done: (p) => filled(p.lastDepartment) && !!p.joinedYear },
  { section: 'career', done: (p) => p.careerAtCompany.length > 0 },
  // What an alumnus does now is what former colleagues look for; a current employee works here.
  { section: 'currentWork', applies: (p) => p.status === 'alumni', done: (p) => filled(p.currentCompany) || filled(p.currentIndustry) || filled(p.currentPosition) },
  { section: 'skills', done: (p) => p.skills.length > 0 },
  { section: 'interests', done: (p) => p.interests.business.length + p.interests.hobby.length + p.interests.volunteer.length > 0 },
  { section: 'bio', done: (p) => filled(p.bio) },
];

/** Which sections of a profile are still empty, and the share filled in (each section counts the same). */
export function profileCompleteness(p: CompletenessInput): ProfileCompletenessView {
  const applicable = CHECKS.filter((c) => !c.applies || c.applies(p));
  const missing = applicable.filter((c) => !c.done(p)).map((c) => c.section);
  const total = applicable.length;
  return { percent: Math.floor(((total - missing.length) * 100) / total), missing, total };
}
