import { Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { NavRegistry } from '@libs/web/nav-registry';
import { AdminPageController } from './web/admin.page-controller';
import { DevMailPageController } from './web/dev-mail.page-controller';
import { QueueDashboard } from './web/queue-dashboard';

/** The HR console. It owns no data: it drives the other modules through their contracts. */
@Module({
  imports: [CqrsModule],
  controllers: [AdminPageController, DevMailPageController],
  providers: [QueueDashboard],
})
export class AdminWebModule implements OnModuleInit {
  constructor(private readonly nav: NavRegistry) {}

  onModuleInit(): void {
    this.nav.register({ href: '/admin', label: 'nav.admin', access: 'operator', order: 90 });
  }
}
