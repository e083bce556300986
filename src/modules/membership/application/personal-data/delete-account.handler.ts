import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { ImageService } from '@libs/images';
import { integrationEvent, Outbox } from '@libs/outbox';
import { DeleteAccountCommand, MembershipEvents } from '../../contracts';
import { AccountToken } from '../../domain/account-token.entity';
import { Member } from '../../domain/member.entity';
import { MemberNotFoundError, WrongPasswordError } from '../../domain/membership.errors';
import { verifyPassword } from '../../domain/password-policy';
import { Profile } from '../../domain/profile.entity';
import { LegacyPhotoFiles } from '../../infrastructure/legacy-photo-files';
import { LastAdminError } from './personal-data.errors';

/**
 * The member deletes their account (password confirmed). In one transaction: the account and profile are erased (the
 * rows stay, empty, so lists can still say 退会したメンバー), link tokens are deleted, invitations to their address and
 * the mail log forget the address, the HR roster entry drops its link, and `membership.member-deleted` is published.
 * The photo is released in that transaction: a job erases every variant once it has committed (a photo still stored as
 * uploaded before the image pipeline is removed right after the commit). The web layer removes the member's sessions
 * from Redis.
 */
@CommandHandler(DeleteAccountCommand)
export class DeleteAccountHandler implements ICommandHandler<DeleteAccountCommand> {
  constructor(
    private readonly em: EntityManager,
    private readonly images: ImageService,
    private readonly legacyPhotos: LegacyPhotoFiles,
  ) {}

  async execute({ memberId, password }: DeleteAccountCommand): Promise<void> {
    const found = await this.em.getRepository(Member).get(memberId);
    if (found.isDeleted) throw new MemberNotFoundError();
    if (!(await verifyPassword(found.passwordHash, password))) throw new WrongPasswordError('password');

    const legacyPhotoKey = await this.em.transactional(async (tx) => {
      // Every admin row is locked in one order before the member's own, so two last admins deleting at once cannot
      // both pass, and cannot deadlock on each other's rows.
      const admins =
        found.role === 'admin'
          ? await tx.execute<{ id: string }[]>(`select id from membership.member where role = 'admin' and status in ('employee', 'alumni') order by id for update`)
          : null;
      const member = await tx.findOne(Member, { id: memberId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (!member || member.isDeleted) throw new MemberNotFoundError();
      if (member.role === 'admin' && member.isApprovedMember) {
        const current = admins ?? (await tx.execute<{ id: string }[]>(`select id from membership.member where role = 'admin' and status in ('employee', 'alumni') order by id for update`));
        if (!current.some((a) => a.id !== memberId)) throw new LastAdminError();
      }

      const formerEmail = member.email;
      const profile = await tx.findOne(Profile, { memberId });
      const photo = profile?.erase() ?? { photoId: null, legacyPhotoKey: null };
      this.images.release(tx, photo.photoId);
      member.erase();

      await tx.nativeDelete(AccountToken, { memberId });
      await tx.execute(
        `update membership.invitation set email = ?, message = null, expires_at = least(expires_at, now())
          where accepted_member_id = ? or email = ?`,
        [member.email, memberId, formerEmail],
      );
      // The HR roster keeps what HR sent; it just no longer points at an account.
      await tx.execute('update membership.roster_entry set member_id = null where member_id = ?', [memberId]);
      // Copies of mail to the member lose the address and the text; mail not yet sent never will be.
      await tx.execute(
        `update platform.mail_message
            set "to" = ?, subject = '', text = '', html = '',
                last_error = case when sent_at is null then 'not sent: the account was deleted' else last_error end,
                sent_at = coalesce(sent_at, now())
          where "to" = ?`,
        [member.email, formerEmail],
      );
      Outbox.publish(tx, integrationEvent(MembershipEvents.memberDeleted, { memberId }));
      return photo.legacyPhotoKey;
    });
    await this.legacyPhotos.remove(legacyPhotoKey);
  }
}
