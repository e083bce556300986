import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ToBool, Trim } from '@libs/web/form-transforms';
import { CONSENT_PURPOSES, type ConsentPurpose } from '../contracts/views';

export class ConsentRequest {
  @IsIn(CONSENT_PURPOSES)
  purpose: ConsentPurpose;

  @IsIn(['give', 'withdraw'])
  decision: 'give' | 'withdraw';

  /** The version of the text the member was shown. */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  version: string;
}

export class DeleteAccountRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;

  /** The "I understand" checkbox; a missing checkbox is false. */
  @ToBool()
  @IsOptional()
  @IsBoolean()
  confirm = false;
}
