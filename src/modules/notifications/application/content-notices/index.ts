import type { Type } from '@nestjs/common';
import { NotifyAuthorOnContentLikesBatchedHandler, NotifyAuthorOnContentReviewedHandler, NotifyMembersOnContentCommentHandler } from './content-notice.handlers';

export const CONTENT_NOTICE_HANDLERS: Type[] = [NotifyAuthorOnContentReviewedHandler, NotifyMembersOnContentCommentHandler, NotifyAuthorOnContentLikesBatchedHandler];
