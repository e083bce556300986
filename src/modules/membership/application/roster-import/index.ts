import type { Type } from '@nestjs/common';

export const ROSTER_IMPORT_HANDLERS: Type[] = [];
