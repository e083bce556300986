import type { Type } from '@nestjs/common';

export const CONSENT_HANDLERS: Type[] = [];
