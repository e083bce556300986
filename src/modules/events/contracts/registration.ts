// Members: register (with companions), cancel; the waitlist.
import { Command } from '@nestjs/cqrs';
import type { Viewer } from '@libs/security/access-policy';

export interface RegistrationResult {
  registrationId: string;
  state: 'confirmed' | 'waitlisted';
  /** 1-based place on the waitlist; null when confirmed. */
  position: number | null;
}

/**
 * Registers the viewer (with companions) for a published event they may see, before the deadline: confirmed while
 * the whole party fits and nobody is waiting, otherwise at the end of the waitlist.
 */
export class RegisterForEventCommand extends Command<RegistrationResult> {
  constructor(readonly viewer: Viewer, readonly eventId: string, readonly companions = 0) {
    super();
  }
}

/** Cancels the viewer's registration (until the start); freed seats go to the waitlist in order of arrival. */
export class CancelRegistrationCommand extends Command<{ promoted: number }> {
  constructor(readonly viewer: Viewer, readonly eventId: string) {
    super();
  }
}
