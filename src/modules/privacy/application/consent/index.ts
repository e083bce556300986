import type { Type } from '@nestjs/common';
import {
  GetConsentHistoryHandler,
  GetConsentStateHandler,
  GetConsentTextsHandler,
  ListConsentingMembersHandler,
  RecordConsentHandler,
} from './consent.handlers';
import { WithdrawConsentOnMemberDeletedHandler } from './withdraw-consent-on-member-deleted.handler';

export const CONSENT_HANDLERS: Type[] = [
  RecordConsentHandler,
  GetConsentTextsHandler,
  GetConsentStateHandler,
  GetConsentHistoryHandler,
  ListConsentingMembersHandler,
  WithdrawConsentOnMemberDeletedHandler,
];
