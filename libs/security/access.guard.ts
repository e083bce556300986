import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ACCESS_KEY } from './access.decorator';
import { AccessPolicy, type AccessLevel, type Viewer } from './access-policy';

/** Global guard: default deny, then the route's declared level decides. */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const level = this.reflector.getAllAndOverride<AccessLevel | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const req = context.switchToHttp().getRequest<Request>();
    if (!level) {
      this.logger.error(`No access rule on ${req.method} ${req.path}; refused`);
      throw new ForbiddenException();
    }
    const viewer = (req.user as Viewer | undefined) ?? null;
    if (AccessPolicy.meets(viewer, level)) return true;
    if (!viewer) throw new UnauthorizedException();
    throw new ForbiddenException(viewer.status === 'pending' ? 'errors.pendingMember' : 'errors.forbidden.message');
  }
}
