import { DomainError } from '@libs/ddd';

/** The conversation or message does not exist or the viewer may not know of it (both answer the same). */
export class ChatNotFoundError extends DomainError {
  constructor() {
    super('networking.chat.errors.notFound', { status: 404 });
  }
}

/** The member asked about does not exist (block, invite). */
export class ChatMemberNotFoundError extends DomainError {
  constructor() {
    super('networking.chat.errors.memberNotFound', { status: 404 });
  }
}

/**
 * A direct message cannot be started or written: a block either way, either member's DM policy, the other member not
 * (or no longer) approved, or the viewer themselves. One answer for every reason, so that nobody learns which.
 */
export class CannotMessageError extends DomainError {
  constructor() {
    super('networking.chat.errors.cannotMessage', { status: 403 });
  }
}

/** Only members who joined the channel (or are in the group) write in it. */
export class ChatNotJoinedError extends DomainError {
  constructor() {
    super('networking.chat.errors.notJoined', { status: 403 });
  }
}

/** The channel is archived: read-only. */
export class ChatArchivedError extends DomainError {
  constructor() {
    super('networking.chat.errors.archived', { status: 409 });
  }
}

export class MessageRequiredError extends DomainError {
  constructor() {
    super('networking.chat.errors.bodyRequired', { field: 'body' });
  }
}

/** More than MESSAGE_MAX characters (code points). */
export class MessageTooLongError extends DomainError {
  constructor(max: number) {
    super('networking.chat.errors.tooLong', { field: 'body', params: { max } });
  }
}

export type ChatTextField = 'name' | 'nameJa' | 'nameEn' | 'description' | 'descriptionJa' | 'descriptionEn' | 'reason' | 'message';

export class ChatTextRequiredError extends DomainError {
  constructor(field: 'name' | 'nameJa' | 'reason') {
    super(`networking.chat.errors.${field}Required`, { field });
  }
}

export class ChatTextTooLongError extends DomainError {
  constructor(field: ChatTextField, max: number) {
    super('networking.chat.errors.fieldTooLong', { field, params: { max } });
  }
}

/** The client's message id is not 1–64 of A–Z a–z 0–9 _ - (a client bug; the page reloads). */
export class InvalidClientIdError extends DomainError {
  constructor() {
    super('networking.chat.errors.invalidClientId', { field: 'clientId' });
  }
}

export class ChatTooManyImagesError extends DomainError {
  constructor(max: number) {
    super('networking.chat.errors.tooManyImages', { field: 'images', params: { max } });
  }
}

/** Edit or delete: only the author's own message, not deleted or hidden (editing also needs the right to write). */
export class MessageNotEditableError extends DomainError {
  constructor() {
    super('networking.chat.errors.notEditable', { status: 403 });
  }
}

export class CannotReportOwnMessageError extends DomainError {
  constructor() {
    super('networking.chat.errors.ownMessage', { status: 409 });
  }
}

/** Only the group's owner (for channels: operators) manages it. */
export class NotGroupOwnerError extends DomainError {
  constructor() {
    super('networking.chat.errors.notOwner', { status: 403 });
  }
}

/** The owner leaves only after handing the group over (unless they are its last member). */
export class OwnerMustHandOverError extends DomainError {
  constructor() {
    super('networking.chat.errors.ownerMustHandOver', { status: 409 });
  }
}

export class AlreadyInGroupError extends DomainError {
  constructor() {
    super('networking.chat.errors.alreadyMember', { status: 409 });
  }
}

/** The member to remove or hand over to is not in the group. */
export class NotInGroupError extends DomainError {
  constructor() {
    super('networking.chat.errors.notInGroup', { status: 409 });
  }
}

export class NoPendingInvitationError extends DomainError {
  constructor() {
    super('networking.chat.errors.noInvitation', { status: 404 });
  }
}

export class NoPendingRequestError extends DomainError {
  constructor() {
    super('networking.chat.errors.noRequest', { status: 404 });
  }
}

/** The member cannot be invited (not approved, or a block either way; never says which). */
export class CannotInviteError extends DomainError {
  constructor() {
    super('networking.chat.errors.cannotInvite', { status: 403 });
  }
}

/** Joining is not possible: the channel's audience, an archived channel, or a group that takes no requests. */
export class CannotJoinError extends DomainError {
  constructor() {
    super('networking.chat.errors.cannotJoin', { status: 403 });
  }
}

export class InvalidAudienceError extends DomainError {
  constructor() {
    super('networking.chat.errors.invalidAudience', { field: 'audience' });
  }
}

export class InvalidDmPolicyError extends DomainError {
  constructor() {
    super('networking.chat.errors.invalidPolicy', { field: 'dmPolicy' });
  }
}

export class CannotBlockSelfError extends DomainError {
  constructor() {
    super('networking.chat.errors.cannotBlockSelf', { status: 400 });
  }
}

export class ChatWordTooShortError extends DomainError {
  constructor() {
    super('networking.chat.errors.wordTooShort', { field: 'q' });
  }
}
