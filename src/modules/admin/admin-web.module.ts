import { Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HomeBlockRegistry } from '@libs/web/home-blocks';
import { NavRegistry } from '@libs/web/nav-registry';
import { CountWaitingApplicationsQuery } from '@modules/membership/contracts';
import { AdminPageController } from './web/admin.page-controller';
import { AuditLogPageController } from './web/audit-log.page-controller';
import { DevMailPageController } from './web/dev-mail.page-controller';
import { MemberExportController } from './web/member-export.controller';
import { QueueDashboard } from './web/queue-dashboard';
import { ModerationPageController } from './web/moderation.page-controller';
import { RosterImportPageController } from './web/roster-import.page-controller';

/** The HR console. It owns no data: it drives the other modules through their contracts. */
@Module({
  imports: [CqrsModule],
  // The CSV export comes before the member pages: /admin/members/export.csv is not a member id.
  controllers: [MemberExportController, AdminPageController, DevMailPageController, AuditLogPageController, RosterImportPageController, ModerationPageController],
  providers: [QueueDashboard],
})
export class AdminWebModule implements OnModuleInit {
  constructor(
    private readonly nav: NavRegistry,
    private readonly homeBlocks: HomeBlockRegistry,
  ) {}

  onModuleInit(): void {
    this.nav.register({ href: '/admin', label: 'nav.admin', access: 'operator', order: 90 });
    // Operators' home page: what waits for them, and the way to the console.
    this.homeBlocks.register<number>({
      key: 'admin-todo',
      order: 5,
      access: 'operator',
      partial: 'admin/home-todo',
      query: ({ viewer }) => new CountWaitingApplicationsQuery(viewer),
      present: (applications) => ({ applications }),
    });
  }
}
