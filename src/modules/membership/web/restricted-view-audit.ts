import type { CommandBus } from '@nestjs/cqrs';
import type { Request } from 'express';
import type { Viewer } from '@libs/security/access-policy';
import { requestIdOf } from '@libs/web/request-id';
import { RecordAuditEventCommand } from '@modules/privacy/contracts';
import type { MemberProfileView } from '../contracts';

/**
 * Fields a viewer sees only because of their role go to the audit log before the profile is sent (page or API);
 * nothing is recorded when no such field was shown.
 */
export async function auditRestrictedView(commands: CommandBus, req: Request, profile: MemberProfileView, page: 'profile' | 'api'): Promise<void> {
  if (profile.restrictedFields.length === 0) return;
  await commands.execute(
    new RecordAuditEventCommand(req.user as Viewer, 'profile.restricted-viewed', {
      subject: { id: profile.memberId, name: `${profile.familyName} ${profile.givenName}` },
      fields: profile.restrictedFields,
      detail: { page },
      requestId: requestIdOf(req),
    }),
  );
}
