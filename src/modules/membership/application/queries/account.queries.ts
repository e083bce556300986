import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { AccessPolicy } from '@libs/security/access-policy';
import {
  GetAccountQuery,
  GetMemberProfileQuery,
  GetProfileForEditQuery,
  GetProfilePhotoQuery,
  GetMemberContactQuery,
  type AccountView,
  type MemberContactView,
  type MemberProfileView,
  type ProfilePhotoView,
  type ProfileEditView,
} from '../../contracts';
import { Member } from '../../domain/member.entity';
import { MemberNotFoundError } from '../../domain/membership.errors';
import { canSeeGroup, PRIVACY_GROUPS } from '../../domain/privacy';
import { Profile } from '../../domain/profile.entity';
import { restrictedFieldsShown } from '../../domain/restricted-fields';
import { deletedMemberName } from '../personal-data/deleted-member';

@QueryHandler(GetAccountQuery)
export class GetAccountHandler implements IQueryHandler<GetAccountQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId }: GetAccountQuery): Promise<AccountView> {
    const member = await this.em.getRepository(Member).get(memberId);
    const profile = await this.em.findOne(Profile, { memberId });
    return {
      memberId,
      email: member.email,
      emailVerified: !!member.emailVerifiedAt,
      status: member.status,
      role: member.role,
      locale: member.locale ?? null,
      timeZone: member.timeZone ?? null,
      displayName: member.isDeleted ? deletedMemberName(null) : (profile?.displayName ?? member.email),
      applicationState: member.applicationState ?? null,
      appliedAs: member.appliedAs ?? null,
      appliedAt: member.createdAt,
      declineReason: member.declineReason ?? null,
    };
  }
}

@QueryHandler(GetMemberProfileQuery)
export class GetMemberProfileHandler implements IQueryHandler<GetMemberProfileQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ viewer, memberId }: GetMemberProfileQuery): Promise<MemberProfileView> {
    const member = await this.em.getRepository(Member).get(memberId);
    // A deleted member has no profile any more, for anyone.
    if (member.isDeleted) throw new MemberNotFoundError();
    const isSelf = viewer.memberId === member.id;
    // Applicants and suspended members are visible to operators only (and to themselves).
    if (!member.isApprovedMember && !isSelf && !AccessPolicy.isOperator(viewer)) throw new MemberNotFoundError();
    const p = await this.em.findOne(Profile, { memberId });
    if (!p) throw new MemberNotFoundError();
    // A member who withdrew their consent to the community is not shown to other members: as if there were no such
    // profile. They see themselves; the community office and HR still see them.
    if (!p.listed && !isSelf && !AccessPolicy.isOperator(viewer)) throw new MemberNotFoundError();
    const sees = (group: (typeof PRIVACY_GROUPS)[number]) => canSeeGroup(viewer, member.id, p.privacy, group);
    return {
      memberId,
      status: member.status,
      familyName: p.familyName,
      givenName: p.givenName,
      familyNameKana: p.familyNameKana,
      givenNameKana: p.givenNameKana,
      romajiName: p.romajiName,
      hasPhoto: !!p.photoId,
      photoId: p.photoId,
      lastDepartment: p.lastDepartment,
      lastPosition: p.lastPosition,
      joinedYear: p.joinedYear,
      leftYear: p.leftYear,
      location: p.location,
      skills: p.skills,
      qualifications: p.qualifications,
      interests: p.interests,
      bio: p.bio,
      openToComeback: p.openToComeback,
      openToOffers: p.openToOffers,
      openToSideWork: p.openToSideWork,
      contact: sees('contact') ? { email: p.contactEmail, phone: p.contactPhone } : undefined,
      birthDate: sees('birthDate') ? p.birthDate : undefined,
      career: sees('career') ? p.careerAtCompany : undefined,
      currentEmployer: sees('currentEmployer')
        ? { company: p.currentCompany, industry: p.currentIndustry, position: p.currentPosition }
        : undefined,
      hidden: PRIVACY_GROUPS.filter((g) => !sees(g)),
      isSelf,
      listed: p.listed,
      restrictedFields: restrictedFieldsShown(viewer, member.id, p.privacy, {
        contactEmail: p.contactEmail,
        contactPhone: p.contactPhone,
        birthDate: p.birthDate,
        careerEntries: p.careerAtCompany.length,
        currentCompany: p.currentCompany,
        currentIndustry: p.currentIndustry,
        currentPosition: p.currentPosition,
      }),
    };
  }
}

@QueryHandler(GetProfileForEditQuery)
export class GetProfileForEditHandler implements IQueryHandler<GetProfileForEditQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId }: GetProfileForEditQuery): Promise<ProfileEditView> {
    const p = await this.em.findOne(Profile, { memberId });
    if (!p) throw new MemberNotFoundError();
    return {
      memberId,
      familyName: p.familyName,
      givenName: p.givenName,
      familyNameKana: p.familyNameKana,
      givenNameKana: p.givenNameKana,
      romajiName: p.romajiName,
      birthDate: p.birthDate,
      lastDepartment: p.lastDepartment,
      lastPosition: p.lastPosition,
      joinedYear: p.joinedYear,
      leftYear: p.leftYear,
      contactEmail: p.contactEmail,
      contactPhone: p.contactPhone,
      location: p.location,
      hasPhoto: !!p.photoId,
      photoId: p.photoId,
      careerAtCompany: p.careerAtCompany,
      currentCompany: p.currentCompany,
      currentIndustry: p.currentIndustry,
      currentPosition: p.currentPosition,
      skills: p.skills,
      qualifications: p.qualifications,
      interests: p.interests,
      bio: p.bio,
      openToComeback: p.openToComeback,
      openToOffers: p.openToOffers,
      openToSideWork: p.openToSideWork,
      privacy: p.privacy,
    };
  }
}

/** The photo is visible to whoever may see the profile (the same rule as GetMemberProfileQuery). */
@QueryHandler(GetProfilePhotoQuery)
export class GetProfilePhotoHandler implements IQueryHandler<GetProfilePhotoQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ viewer, memberId }: GetProfilePhotoQuery): Promise<ProfilePhotoView | null> {
    const member = /^[0-9a-f-]{36}$/i.test(memberId) ? await this.em.findOne(Member, { id: memberId }) : null;
    if (!member || member.isDeleted) return null;
    if (!member.isApprovedMember && viewer.memberId !== memberId && !AccessPolicy.isOperator(viewer)) return null;
    const profile = await this.em.findOne(Profile, { memberId });
    if (!profile?.photoId) return null;
    if (!profile.listed && viewer.memberId !== memberId && !AccessPolicy.isOperator(viewer)) return null;
    return { imageId: profile.photoId };
  }
}

@QueryHandler(GetMemberContactQuery)
export class GetMemberContactHandler implements IQueryHandler<GetMemberContactQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId }: GetMemberContactQuery): Promise<MemberContactView | null> {
    const member = await this.em.findOne(Member, { id: memberId });
    // A deleted member cannot be written to: their address is gone.
    if (!member || member.isDeleted) return null;
    const profile = await this.em.findOne(Profile, { memberId });
    return { memberId, email: member.email, locale: member.locale ?? null, displayName: profile?.displayName ?? '' };
  }
}
