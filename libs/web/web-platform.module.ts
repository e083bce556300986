import { Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { AccessGuard } from '@libs/security/access.guard';
import { CsrfGuard } from '@libs/security/csrf';
import { RateLimitService } from '@libs/security/rate-limit.service';
import { FormPageInterceptor } from './form-return';
import { HeaderBadgeRegistry } from './header-badges';
import { HomeBlockRegistry } from './home-blocks';
import { HttpErrorFilter } from './http-error.filter';
import { NavRegistry } from './nav-registry';
import { createValidationPipe } from './request-validation';
import { SessionRegistry } from './session-registry';

/** Cross-cutting web providers: the global guard, pipe and filter, navigation, header counters, home blocks, sessions and rate limits. */
@Global()
@Module({
  providers: [
    { provide: APP_GUARD, useClass: CsrfGuard },
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: HttpErrorFilter },
    { provide: APP_INTERCEPTOR, useClass: FormPageInterceptor },
    NavRegistry,
    HeaderBadgeRegistry,
    HomeBlockRegistry,
    SessionRegistry,
    RateLimitService,
  ],
  exports: [NavRegistry, HeaderBadgeRegistry, HomeBlockRegistry, SessionRegistry, RateLimitService],
})
export class WebPlatformModule {}
