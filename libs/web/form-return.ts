import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Observable } from 'rxjs';

export const FORM_PAGE_KEY = 'kizuna:form-page';

/**
 * The page a form lives on, where a rejected submission is shown again with its messages
 * (`:name` is taken from the route parameters). Without it, the browser's same-origin Referer is used,
 * then the form's own URL.
 */
export const FormPage = (path: string) => SetMetadata(FORM_PAGE_KEY, path);

declare module 'express-serve-static-core' {
  interface Request {
    formPage?: string;
  }
}

/** Puts the handler's @FormPage on the request before validation runs, for the error filter. */
@Injectable()
export class FormPageInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const template = this.reflector.get<string | undefined>(FORM_PAGE_KEY, context.getHandler());
      if (template) {
        const req = context.switchToHttp().getRequest<Request>();
        req.formPage = template.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(String(req.params?.[name] ?? '')));
      }
    }
    return next.handle();
  }
}
