import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { OptionalText, PageNumber } from '@libs/web/form-transforms';
import { MODERATION_DECISIONS, type ModerationDecision } from '@modules/moderation/contracts';

export class ModerationQueueRequest {
  @PageNumber(10_000)
  page?: number;
}

export class DecideRequest {
  @IsString()
  @Matches(/^[a-z][a-z-]{1,30}$/)
  subjectType!: string;

  @IsString()
  @MaxLength(100)
  subjectId!: string;

  @IsIn(MODERATION_DECISIONS)
  decision!: ModerationDecision;

  @OptionalText(1000)
  note?: string;
}
