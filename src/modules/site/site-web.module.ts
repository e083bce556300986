import { Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { NavRegistry } from '@libs/web/nav-registry';
import { HealthController } from './web/health.controller';
import { HomePageController } from './web/home.page-controller';
import { LocaleController } from './web/locale.controller';

@Module({
  imports: [CqrsModule],
  controllers: [HealthController, HomePageController, LocaleController],
})
export class SiteWebModule implements OnModuleInit {
  constructor(private readonly nav: NavRegistry) {}

  onModuleInit(): void {
    this.nav.register({ href: '/', label: 'nav.home', access: 'public', order: 0 });
  }
}
