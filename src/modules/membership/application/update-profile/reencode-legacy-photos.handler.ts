import { Logger } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { ImagePurposes, ImageRejectedError, ImageService, type IngestedImage } from '@libs/images';
import { integrationEvent, Outbox, runOnce } from '@libs/outbox';
import { MembershipEvents } from '../../contracts';
import { Profile } from '../../domain/profile.entity';
import { LegacyPhotoFiles } from '../../infrastructure/legacy-photo-files';

export interface ReencodeLegacyPhotosResult {
  /** Photos now served from the image pipeline. */
  reencoded: number;
  /** Legacy photos of members who had set a new photo since: the new one stays. */
  superseded: number;
  /** Photos that could not be read (file gone, not an image, broken): the profile has no photo any more. */
  dropped: number;
  /** Files in the old folder no profile referred to, removed. */
  strayFilesRemoved: number;
}

/** Re-encodes every profile photo stored as uploaded (before the image pipeline). See the handler. */
export class ReencodeLegacyPhotosCommand extends Command<ReencodeLegacyPhotosResult> {}

const BATCH = 100;

/**
 * Every photo stored as uploaded goes through the image pipeline once: the new image is recorded and the legacy key
 * cleared in one transaction that first claims `reencode-legacy-photo:<member>:<key>` in platform.processed_job, and
 * the old file is removed after that commit. A member who set a new photo meanwhile keeps it. Files that no profile
 * refers to are removed at the end. A second run finds nothing to do and changes nothing.
 */
@CommandHandler(ReencodeLegacyPhotosCommand)
export class ReencodeLegacyPhotosHandler implements ICommandHandler<ReencodeLegacyPhotosCommand> {
  private readonly logger = new Logger(ReencodeLegacyPhotosHandler.name);

  constructor(
    private readonly em: EntityManager,
    private readonly images: ImageService,
    private readonly legacy: LegacyPhotoFiles,
  ) {}

  async execute(): Promise<ReencodeLegacyPhotosResult> {
    const result: ReencodeLegacyPhotosResult = { reencoded: 0, superseded: 0, dropped: 0, strayFilesRemoved: 0 };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const batch = await this.em.fork().execute<{ member_id: string; legacy_photo_key: string }[]>(
        `select member_id, legacy_photo_key from membership.profile
          where legacy_photo_key is not null and member_id > ? order by member_id limit ?`,
        [after, BATCH],
      );
      if (batch.length === 0) break;
      for (const row of batch) {
        after = row.member_id;
        result[await this.reencodeOne(row.member_id, row.legacy_photo_key)] += 1;
      }
    }

    const referenced = new Set(
      (await this.em.fork().execute<{ key: string }[]>('select legacy_photo_key as key from membership.profile where legacy_photo_key is not null')).map((r) => r.key),
    );
    for (const name of await this.legacy.list()) {
      if (referenced.has(name)) continue;
      await this.legacy.remove(name);
      result.strayFilesRemoved += 1;
    }
    if (referenced.size === 0) await this.legacy.removeFolderIfEmpty();
    return result;
  }

  private async reencodeOne(memberId: string, legacyKey: string): Promise<'reencoded' | 'superseded' | 'dropped'> {
    const file = await this.legacy.read(legacyKey);
    let image: IngestedImage | null = null;
    if (file) {
      try {
        image = await this.images.ingest(file.bytes, { purpose: ImagePurposes.profilePhoto });
      } catch (e) {
        if (!(e instanceof ImageRejectedError)) throw e;
        this.logger.warn(`profile photo of ${memberId} could not be re-encoded (${e.reason}); the profile shows no photo`);
      }
    } else {
      this.logger.warn(`profile photo file of ${memberId} is missing; the profile shows no photo`);
    }

    let adopted = false;
    let superseded = false;
    let ran: boolean;
    try {
      ran = await runOnce(this.em.fork(), `reencode-legacy-photo:${memberId}:${legacyKey}`, async (tx) => {
        const profile = await tx.findOne(Profile, { memberId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (!profile) return;
        superseded = !!profile.photoId;
        adopted = profile.adoptReencodedPhoto(legacyKey, image?.id ?? null);
        if (adopted && image) {
          this.images.attach(tx, image.id);
          Outbox.publish(tx, integrationEvent(MembershipEvents.profileUpdated, { memberId }));
        }
      });
    } catch (e) {
      if (image) await this.images.discard(image.id);
      throw e;
    }
    if (image && !adopted) await this.images.discard(image.id);
    if (ran) await this.legacy.remove(legacyKey);
    return adopted ? 'reencoded' : superseded ? 'superseded' : 'dropped';
  }
}
