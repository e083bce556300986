import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '@libs/ddd';
import { isLocale, localeFromAcceptLanguage, messageCatalog, type Locale } from '@libs/i18n';
import { CsrfError } from '@libs/security/csrf';
import { keepFormState, type FieldMessage } from './form-state';
import { safeRedirectPath } from './safe-redirect';
import { RequestValidationError } from './request-validation';

const PAGE_MESSAGES: Record<number, { heading: string; message: string }> = {
  400: { heading: 'errors.badRequest.heading', message: 'errors.badRequest.message' },
  403: { heading: 'errors.forbidden.heading', message: 'errors.forbidden.message' },
  404: { heading: 'errors.notFound.heading', message: 'errors.notFound.message' },
  413: { heading: 'errors.tooLarge.heading', message: 'errors.tooLarge.message' },
  429: { heading: 'errors.tooManyRequests.heading', message: 'errors.tooManyRequests.message' },
  500: { heading: 'errors.server.heading', message: 'errors.server.message' },
};

interface Mapped {
  status: number;
  fields: Record<string, FieldMessage[]>;
  general: FieldMessage[];
  pageMessage?: string;
  /** The parameters of pageMessage ("{max}"). */
  pageParams?: Record<string, string | number>;
}

/** No catalog key says "sign in" yet; until libs/web/i18n has `errors.unauthorized`, the API says it in these words. */
const SIGN_IN: Record<Locale, string> = { ja: 'ログインしてください。', en: 'Please sign in.' };

/**
 * The API error's text in the caller's language: the problems that belong to no field, else the route's own
 * message, else the status's page message. A field's message carries its text too (`fields.<name>[].message`).
 */
function apiText(mapped: Mapped, locale: Locale): { message: string; fields: Record<string, (FieldMessage & { message: string })[]> } {
  const catalog = messageCatalog();
  const t = (m: FieldMessage) => catalog.t(locale, m.key, m.params);
  const fields = Object.fromEntries(Object.entries(mapped.fields).map(([name, list]) => [name, list.map((m) => ({ ...m, message: t(m) }))]));
  let message: string;
  if (mapped.general.length) message = mapped.general.map(t).join(' ');
  else if (mapped.pageMessage && catalog.has('ja', mapped.pageMessage)) message = catalog.t(locale, mapped.pageMessage, mapped.pageParams);
  else if (mapped.status === 401) message = catalog.has(locale, 'errors.unauthorized') ? catalog.t(locale, 'errors.unauthorized') : SIGN_IN[locale];
  else message = catalog.t(locale, (PAGE_MESSAGES[mapped.status] ?? PAGE_MESSAGES[mapped.status >= 500 ? 500 : 400]).message);
  return { message, fields };
}

/** The caller's language; set for every request that reached the locale middleware (a body that fails to parse does not). */
function localeOf(req: Request): Locale {
  return isLocale(req.locale) ? req.locale : localeFromAcceptLanguage(req.get('accept-language'));
}

function isApi(req: Request): boolean {
  return req.path.startsWith('/api/');
}

function isFormPost(req: Request): boolean {
  return !isApi(req) && !['GET', 'HEAD', 'OPTIONS'].includes(req.method) && !!req.session;
}

/**
 * The form's declared page (@FormPage), else the same-origin page the form came from, else the form's own URL —
 * whichever it is, a path on this site (a Referer of `http://host//evil.example/x` has the path `//evil.example/x`).
 */
function backPath(req: Request): string {
  return safeRedirectPath(candidateBackPath(req));
}

function candidateBackPath(req: Request): string {
  if (req.formPage) return req.formPage;
  const referer = req.get('referer');
  if (referer) {
    try {
      const url = new URL(referer);
      if (url.host === req.get('host')) return url.pathname + url.search;
    } catch {
      /* ignore malformed referer */
    }
  }
  return req.originalUrl;
}

/**
 * The one place errors become responses: field messages on the form the person came from (303 back), a friendly
 * page in their language, or JSON for the API. Nothing a person sends produces a 500.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  map(exception: unknown): Mapped {
    if (exception instanceof RequestValidationError) return { status: 400, fields: exception.fields, general: exception.general };
    if (exception instanceof DomainError) {
      const message = { key: exception.code, params: exception.params };
      return exception.field
        ? { status: exception.status, fields: { [exception.field]: [message] }, general: [], pageMessage: exception.code, pageParams: exception.params }
        : { status: exception.status, fields: {}, general: [message], pageMessage: exception.code, pageParams: exception.params };
    }
    if (exception instanceof CsrfError) return { status: 403, fields: {}, general: [], pageMessage: 'errors.csrf' };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const msg = typeof response === 'object' && response && 'message' in response ? (response as { message: unknown }).message : undefined;
      const pageMessage = typeof msg === 'string' && msg.startsWith('errors.') ? msg : undefined;
      if (status === 413) return { status, fields: {}, general: [{ key: 'errors.tooLarge.message' }] };
      return { status, fields: {}, general: [], pageMessage };
    }
    const status = (exception as { status?: number; statusCode?: number })?.status ?? (exception as { statusCode?: number })?.statusCode;
    if (status === 413) return { status: 413, fields: {}, general: [{ key: 'errors.tooLarge.message' }] };
    if (status === 400 && (exception as { type?: string })?.type === 'entity.parse.failed') return { status: 400, fields: {}, general: [] };
    return { status: 500, fields: {}, general: [] };
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const mapped = this.map(exception);

    if (mapped.status >= 500) this.logger.error({ err: exception, path: req.path, method: req.method }, 'unhandled error');
    if (res.headersSent) return;

    if (isApi(req)) {
      const text = apiText(mapped, localeOf(req));
      res.status(mapped.status).json({
        statusCode: mapped.status,
        error: HttpStatus[mapped.status] ?? 'Error',
        message: text.message,
        fields: text.fields,
        messages: mapped.general.map((m) => m.key),
      });
      return;
    }

    if (mapped.status === 401) {
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(safeRedirectPath(req.originalUrl))}` : '';
      res.redirect(303, `/login${next}`);
      return;
    }

    const formError = mapped.status === 400 || mapped.status === 409 || mapped.status === 413 || mapped.status === 422 || mapped.status === 429;
    if (isFormPost(req) && formError) {
      const back = backPath(req);
      keepFormState(req, back.split('?')[0], mapped.fields, mapped.general.length || Object.keys(mapped.fields).length ? mapped.general : [{ key: 'errors.badRequest.message' }]);
      req.session.save(() => res.redirect(303, back));
      return;
    }

    const page = PAGE_MESSAGES[mapped.status] ?? PAGE_MESSAGES[mapped.status >= 500 ? 500 : 400];
    const message = mapped.pageMessage && messageCatalog().has('ja', mapped.pageMessage) ? mapped.pageMessage : page.message;
    res.status(mapped.status).render('shared/errors/error', {
      title: undefined,
      status: mapped.status,
      heading: page.heading,
      message,
    });
  }
}
