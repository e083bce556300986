import type { Type } from '@nestjs/common';
import { DeleteAccountHandler } from './delete-account.handler';
import { FindMembersByNameHandler, GetMemberNamesHandler } from './get-member-names.handler';
import { GetPersonalDataHandler } from './get-personal-data.handler';

export const PERSONAL_DATA_HANDLERS: Type[] = [GetPersonalDataHandler, DeleteAccountHandler, GetMemberNamesHandler, FindMembersByNameHandler];
