import { SetMetadata } from '@nestjs/common';
import type { AccessLevel } from './access-policy';

export const ACCESS_KEY = 'kizuna:access';

/** Declares who may call a route. Every route must declare one; a route without it is refused. */
export const Access = (level: AccessLevel) => SetMetadata(ACCESS_KEY, level);
