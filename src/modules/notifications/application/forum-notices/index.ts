import type { Type } from '@nestjs/common';
import { NotifyAuthorOnReactionsBatchedHandler, NotifyMembersOnPostCreatedHandler } from './forum-notice.handlers';

export const FORUM_NOTICE_HANDLERS: Type[] = [NotifyMembersOnPostCreatedHandler, NotifyAuthorOnReactionsBatchedHandler];
