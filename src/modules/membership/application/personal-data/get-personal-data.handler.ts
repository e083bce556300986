import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { ImagePurposes, ImageService } from '@libs/images';
import { GetPersonalDataQuery, type PersonalDataView } from '../../contracts';
import { Invitation } from '../../domain/invitation.entity';
import { Member } from '../../domain/member.entity';
import { Profile } from '../../domain/profile.entity';
import { RosterEntry } from '../../domain/roster-entry.entity';
import { LegacyPhotoFiles } from '../../infrastructure/legacy-photo-files';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
const day = (d: string | Date | null | undefined) => (d ? (d instanceof Date ? d.toISOString() : String(d)).slice(0, 10) : null);

/** Everything Membership holds about a member, for their data download (no password hash, no link tokens). */
@QueryHandler(GetPersonalDataQuery)
export class GetPersonalDataHandler implements IQueryHandler<GetPersonalDataQuery> {
  constructor(
    private readonly em: EntityManager,
    private readonly images: ImageService,
    private readonly legacyPhotos: LegacyPhotoFiles,
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
            photo: await this.photo(profile),
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

  /**
   * The photo as stored: the full-size variant (long side ≤ 2048 px, WebP, without metadata). A photo not yet through
   * the re-encoding job is given as uploaded (it is the member's own file). A missing file (a volume not restored)
   * gives null rather than a failed export.
   */
  private async photo(profile: Profile): Promise<{ contentType: string; base64: string } | null> {
    const found = profile.photoId
      ? await this.images.read(ImagePurposes.profilePhoto, profile.photoId, 'full')
      : profile.legacyPhotoKey
        ? await this.legacyPhotos.read(profile.legacyPhotoKey)
        : null;
    return found && { contentType: found.contentType, base64: found.bytes.toString('base64') };
  }
}
