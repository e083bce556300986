import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { ImagePurposes, ImageService } from '@libs/images';
import { integrationEvent, Outbox } from '@libs/outbox';
import {
  MembershipEvents,
  SetProfilePhotoCommand,
  UpdateBasicInfoCommand,
  UpdateCareerCommand,
  UpdatePrivacyCommand,
  UpdateSkillsAndInterestsCommand,
} from '../../contracts';
import { MemberNotFoundError } from '../../domain/membership.errors';
import { Profile } from '../../domain/profile.entity';

async function loadProfile(em: EntityManager, memberId: string): Promise<Profile> {
  const profile = await em.findOne(Profile, { memberId });
  if (!profile) throw new MemberNotFoundError();
  return profile;
}

function profileUpdated(em: EntityManager, memberId: string): void {
  Outbox.publish(em, integrationEvent(MembershipEvents.profileUpdated, { memberId }));
}

@CommandHandler(UpdateBasicInfoCommand)
export class UpdateBasicInfoHandler implements ICommandHandler<UpdateBasicInfoCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId, input }: UpdateBasicInfoCommand): Promise<void> {
    const profile = await loadProfile(this.em, memberId);
    profile.updateBasicInfo(input);
    profileUpdated(this.em, memberId);
    await this.em.flush();
  }
}

@CommandHandler(UpdateCareerCommand)
export class UpdateCareerHandler implements ICommandHandler<UpdateCareerCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId, input }: UpdateCareerCommand): Promise<void> {
    const profile = await loadProfile(this.em, memberId);
    profile.replaceCareer(input.careerAtCompany);
    profile.updateAfterCareer(input);
    profileUpdated(this.em, memberId);
    await this.em.flush();
  }
}

@CommandHandler(UpdateSkillsAndInterestsCommand)
export class UpdateSkillsAndInterestsHandler implements ICommandHandler<UpdateSkillsAndInterestsCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId, input }: UpdateSkillsAndInterestsCommand): Promise<void> {
    const profile = await loadProfile(this.em, memberId);
    profile.updateSkillsAndInterests(input);
    profile.updateOpenTo(input);
    profileUpdated(this.em, memberId);
    await this.em.flush();
  }
}

@CommandHandler(UpdatePrivacyCommand)
export class UpdatePrivacyHandler implements ICommandHandler<UpdatePrivacyCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId, settings }: UpdatePrivacyCommand): Promise<void> {
    const profile = await loadProfile(this.em, memberId);
    profile.updatePrivacy(settings);
    await this.em.flush();
  }
}

/**
 * A new photo goes through the image pipeline (type from the bytes, re-encoded without metadata, thumbnails) and is
 * stored under a new random id before the row points at it. The previous photo is released in the same flush: its
 * files are erased by a job once the change has committed. If the flush fails, the new files are removed at once.
 */
@CommandHandler(SetProfilePhotoCommand)
export class SetProfilePhotoHandler implements ICommandHandler<SetProfilePhotoCommand> {
  constructor(
    private readonly em: EntityManager,
    private readonly images: ImageService,
  ) {}

  async execute({ memberId, bytes }: SetProfilePhotoCommand): Promise<void> {
    const profile = await loadProfile(this.em, memberId);
    const image = bytes ? await this.images.ingest(bytes, { purpose: ImagePurposes.profilePhoto, field: 'photo' }) : null;
    const previous = profile.setPhoto(image?.id ?? null);
    if (image) this.images.attach(this.em, image.id);
    this.images.release(this.em, previous);
    // Other modules' read models (an author's avatar) follow the new photo id.
    profileUpdated(this.em, memberId);
    try {
      await this.em.flush();
    } catch (e) {
      if (image) await this.images.discard(image.id);
      throw e;
    }
  }
}
