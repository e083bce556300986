import type { Type } from '@nestjs/common';

export const AUDIT_HANDLERS: Type[] = [];
