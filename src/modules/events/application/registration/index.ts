import type { Type } from '@nestjs/common';

export const REGISTRATION_HANDLERS: Type[] = [];
