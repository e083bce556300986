import type { Type } from '@nestjs/common';
import { CancelRegistrationHandler } from './cancel-registration.handler';
import { RegisterForEventHandler } from './register-for-event.handler';

export const REGISTRATION_HANDLERS: Type[] = [RegisterForEventHandler, CancelRegistrationHandler];
