import { IsIn, IsString, Matches } from 'class-validator';
import { OptionalText, PageNumber } from '@libs/web/form-transforms';
import { DECISION_NOTE_MAX, MODERATION_DECISIONS, type ModerationDecision } from '@modules/moderation/contracts';

export class ModerationQueueRequest {
  @PageNumber(10_000)
  page?: number;
}

/** One case's form in the queue: the subject (as the queue named it), the decision and the operator's note. */
export class DecideRequest {
  @IsString()
  @Matches(/^[a-z][a-z-]{1,30}$/)
  subjectType!: string;

  @IsString()
  @Matches(/^[A-Za-z0-9-]{1,100}$/)
  subjectId!: string;

  @IsIn(MODERATION_DECISIONS)
  decision!: ModerationDecision;

  @OptionalText(DECISION_NOTE_MAX)
  note?: string;

  /** The queue page the form was on, to come back to. */
  @PageNumber(10_000)
  page?: number;
}
