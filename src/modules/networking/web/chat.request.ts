import { applyDecorators } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { EmptyToUndefined, OptionalText, ToBool, ToInt } from '@libs/web/form-transforms';
import { CHANNEL_AUDIENCES, CLIENT_ID_MAX, CONVERSATION_DESCRIPTION_MAX, CONVERSATION_NAME_MAX, DM_POLICIES, MESSAGE_MAX, type ChannelAudience, type DmPolicy } from '../contracts';

/** A conversation's message number (seq): a positive whole number. */
const Seq = () => applyDecorators(ToInt(), IsOptional(), IsInt(), Min(1), Max(2_147_483_647));

/** ?before=SEQ: the page of messages older than SEQ ("Older messages"). */
export class ConversationPageRequest {
  @Seq()
  before?: number;
}

/** The conversation and number of one message, carried by the links to its edit and report pages. */
export class MessageRefRequest {
  @IsUUID()
  c!: string;

  @ToInt()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  seq!: number;
}

export class SendMessageRequest {
  @IsString()
  @Matches(new RegExp(`^[A-Za-z0-9_-]{1,${CLIENT_ID_MAX}}$`))
  clientId!: string;

  @IsString()
  @MaxLength(MESSAGE_MAX * 2)
  body!: string;
}

export class EditMessageRequest {
  @IsString()
  @MaxLength(MESSAGE_MAX * 2)
  body!: string;
}

/** Forms about one message posted from the conversation page: the page to go back to. */
export class MessageActionRequest {
  @Seq()
  before?: number;
}

export class HideMessageRequest extends MessageActionRequest {
  @IsIn(['0', '1'])
  hidden!: '0' | '1';
}

export class ReportMessageRequest {
  @IsString()
  @MaxLength(1000)
  reason!: string;
}

export class SearchConversationRequest {
  @OptionalText(200)
  q?: string;
}

export class GroupSearchRequest {
  @OptionalText(100)
  q?: string;
}

export class OpenDmRequest {
  @IsUUID()
  memberId!: string;
}

export class GroupRequest {
  @IsString()
  @MaxLength(CONVERSATION_NAME_MAX * 2)
  name!: string;

  @OptionalText(CONVERSATION_DESCRIPTION_MAX * 2)
  description?: string;

  @ToBool()
  @IsOptional()
  listed?: boolean;
}

export class JoinRequestRequest {
  @OptionalText(500)
  message?: string;
}

/** The owner invites by name (resolved on the settings page) or picks one of the members it found. */
export class InviteRequest {
  @OptionalText(60)
  name?: string;

  @EmptyToUndefined()
  @IsOptional()
  @IsUUID()
  memberId?: string;
}

/** ?invite=NAME: the members a typed name matched, to pick from. */
export class GroupSettingsRequest {
  @OptionalText(60)
  invite?: string;
}

export class DecisionRequest {
  @IsIn(['0', '1'])
  approve!: '0' | '1';
}

export class MemberRequest {
  @IsUUID()
  memberId!: string;
}

export class InvitationAnswerRequest {
  @IsIn(['0', '1'])
  accept!: '0' | '1';
}

export class BlockRequest {
  @IsUUID()
  memberId!: string;

  @IsIn(['0', '1'])
  blocked!: '0' | '1';

  /** The DM to go back to (its header has the button); else the chat settings page. */
  @EmptyToUndefined()
  @IsOptional()
  @IsUUID()
  conversationId?: string;
}

export class DmPolicyRequest {
  @IsIn(DM_POLICIES)
  dmPolicy!: DmPolicy;
}

export class ChannelRequest {
  @IsString()
  @MaxLength(CONVERSATION_NAME_MAX * 2)
  nameJa!: string;

  @OptionalText(CONVERSATION_NAME_MAX * 2)
  nameEn?: string;

  @OptionalText(CONVERSATION_DESCRIPTION_MAX * 2)
  descriptionJa?: string;

  @OptionalText(CONVERSATION_DESCRIPTION_MAX * 2)
  descriptionEn?: string;

  @IsIn(CHANNEL_AUDIENCES)
  audience!: ChannelAudience;
}

export class ArchiveChannelRequest {
  @IsIn(['0', '1'])
  archived!: '0' | '1';
}
