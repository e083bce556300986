import type { Logger } from '@nestjs/common';
import type { QueryBus } from '@nestjs/cqrs';
import { GetAccountQuery, type AccountView } from '@modules/membership/contracts';

const NOTIFIED_STATUSES = new Set(['employee', 'alumni']);

/**
 * The member's account when it may be told anything now — approved (employee or alumni), not pending, suspended or
 * deleted — else null. Checked when the notice is made, whatever the module that asked for it decided earlier.
 */
export async function notifiableAccount(queries: QueryBus, memberId: string, logger: Logger, what = 'notice'): Promise<AccountView | null> {
  try {
    const account = await queries.execute(new GetAccountQuery(memberId));
    return NOTIFIED_STATUSES.has(account.status) ? account : null;
  } catch {
    logger.debug(`no account ${memberId}: ${what} skipped`);
    return null;
  }
}
