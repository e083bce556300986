import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
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
import { PhotoStore } from '../../infrastructure/photo-store';

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

/** The new file is written before the row points at it, and the old file removed only after the commit. */
@CommandHandler(SetProfilePhotoCommand)
export class SetProfilePhotoHandler implements ICommandHandler<SetProfilePhotoCommand> {
  constructor(
    private readonly em: EntityManager,
    private readonly photos: PhotoStore,
  ) {}

  async execute({ memberId, bytes }: SetProfilePhotoCommand): Promise<void> {
    const profile = await loadProfile(this.em, memberId);
    const key = bytes ? await this.photos.save(memberId, bytes) : null;
    const previous = profile.setPhoto(key);
    try {
      await this.em.flush();
    } catch (e) {
      await this.photos.remove(key);
      throw e;
    }
    await this.photos.remove(previous);
  }
}
