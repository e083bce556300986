import type { Type } from '@nestjs/common';
import { NotifyMembersOnChatMessageHandler } from './chat-notice.handlers';

export const CHAT_NOTICE_HANDLERS: Type[] = [NotifyMembersOnChatMessageHandler];
