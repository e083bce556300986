import { readFile } from 'node:fs/promises';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { GetPersonalDataQuery, type PersonalDataView } from '../../contracts';
import { Invitation } from '../../domain/invitation.entity';
import { Member } from '../../domain/member.entity';
import { Profile } from '../../domain/profile.entity';
import { RosterEntry } from '../../domain/roster-entry.entity';
import { PhotoStore } from '../../infrastructure/photo-store';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
const day = (d: string | Date | null | undefined) => (d ? (d instanceof Date ? d.toISOString() : String(d)).slice(0, 10) : null);

/** Everything Membership holds about a member, for their data download (no password hash, no link tokens). */
@QueryHandler(GetPersonalDataQuery)
export class GetPersonalDataHandler implements IQueryHandler<GetPersonalDataQuery> {
  constructor(
    private readonly em: EntityManager,
    private readonly photos: PhotoStore,
  ) {}

  async execute({ memberId }: GetPersonalDataQuery): Promise<PersonalDataView> {
    const member = await this.em.getRepository(Member).get(memberId);
    const [profile, invitations, roster] = await Promise.all([
      this.em.findOne(Profile, { memberId }),
      this.em.find(Invitation, { $or: [{ email: member.email }, { acceptedMemberId: memberId }] }, { orderBy: { createdAt: 'asc' } }),
      this.em.findOne(RosterEntry, { memberId }),
    ]);
    return {
      account: {
        memberId,
        email: member.email,
        emailVerifiedAt: iso(member.emailVerifiedAt),
        status: member.status,
        role: member.role,
        locale: member.locale ?? null,
        joinedVia: member.joinedVia,
        joinedAt: member.createdAt.toISOString(),
        departedOn: day(member.departedOn),
        lastLoginAt: iso(member.lastLoginAt),
        suspendedAt: iso(member.suspendedAt),
        suspensionReason: member.suspensionReason ?? null,
      },
      application: member.applicationState
        ? {
            appliedAs: member.appliedAs ?? null,
            state: member.applicationState,
            note: member.applicationNote ?? null,
            submittedAt: member.createdAt.toISOString(),
            decidedAt: iso(member.decidedAt),
            declineReason: member.declineReason ?? null,
          }
        : null,
      profile: profile
        ? {
            familyName: profile.familyName,
            givenName: profile.givenName,
            familyNameKana: profile.familyNameKana,
            givenNameKana: profile.givenNameKana,
            romajiName: profile.romajiName,
            birthDate: day(profile.birthDate),
            lastDepartment: profile.lastDepartment,
            lastPosition: profile.lastPosition,
            joinedYear: profile.joinedYear,
            leftYear: profile.leftYear,
            contactEmail: profile.contactEmail,
            contactPhone: profile.contactPhone,
            location: profile.location,
            careerAtCompany: profile.careerAtCompany,
            currentCompany: profile.currentCompany,
            currentIndustry: profile.currentIndustry,
            currentPosition: profile.currentPosition,
            skills: profile.skills,
            qualifications: profile.qualifications,
            interests: profile.interests,
            bio: profile.bio,
            openToComeback: profile.openToComeback,
            openToOffers: profile.openToOffers,
            openToSideWork: profile.openToSideWork,
            privacy: profile.privacy,
            photo: await this.photo(profile.photoKey),
            updatedAt: profile.updatedAt.toISOString(),
          }
        : null,
      invitations: invitations.map((i) => ({
        email: i.email,
        status: i.status,
        message: i.message ?? null,
        state: i.state,
        sentAt: i.createdAt.toISOString(),
        expiresAt: i.expiresAt.toISOString(),
        acceptedAt: iso(i.acceptedAt),
      })),
      roster: roster
        ? {
            employeeNumber: roster.employeeNumber,
            email: roster.email,
            familyName: roster.familyName,
            givenName: roster.givenName,
            familyNameKana: roster.familyNameKana ?? null,
            givenNameKana: roster.givenNameKana ?? null,
            department: roster.department ?? null,
            position: roster.position ?? null,
            hiredOn: day(roster.hiredOn),
            leftOn: day(roster.leftOn),
          }
        : null,
    };
  }

  private async photo(key: string | null): Promise<{ contentType: string; base64: string } | null> {
    if (!key) return null;
    try {
      return { contentType: this.photos.contentTypeOf(key), base64: (await readFile(this.photos.pathOf(key))).toString('base64') };
    } catch {
      // The file is gone (a volume was not restored): the export says there is no photo rather than failing.
      return null;
    }
  }
}
