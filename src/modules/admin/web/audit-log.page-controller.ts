import { Controller, Get, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { DomainError } from '@libs/ddd';
import { messageCatalog, type Locale } from '@libs/i18n';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import type { FieldMessage } from '@libs/web/form-state';
import { createValidationPipe, RequestValidationError } from '@libs/web/request-validation';
import { AUDIT_ACTIONS, SearchAuditLogQuery, type AuditEventView, type AuditLogPage } from '@modules/privacy/contracts';
import { AuditLogRequest } from './audit-log.request';

const FILTER_FIELDS = ['action', 'actor', 'subject', 'from', 'to'] as const;

/** The first value of each query parameter, as typed (to show the form again). */
function typedValues(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    const one = Array.isArray(v) ? v[0] : v;
    if (typeof one === 'string') out[k] = one;
  }
  return out;
}

function link(filters: Record<string, string | undefined>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v) params.set(k, v);
  const qs = params.toString();
  return qs ? `/admin/audit-log?${qs}` : '/admin/audit-log';
}

/** Keys of an event's detail that the page words itself, in the order it shows them; other keys follow as they are. */
const DETAIL_ORDER = ['page', 'filters', 'rows', 'failed'];

/** What one event's detail says, in the viewer's language: page, export filters, rows, failure; other keys as they are. */
export function detailSummary(detail: Record<string, unknown>, locale: Locale): string[] {
  const catalog = messageCatalog();
  const t = (key: string, params?: Record<string, unknown>) => catalog.t(locale, key, params);
  const label = (prefix: string, value: string) => (catalog.has(locale, `${prefix}.${value}`) ? t(`${prefix}.${value}`) : value);
  const rank = (key: string) => (DETAIL_ORDER.includes(key) ? DETAIL_ORDER.indexOf(key) : DETAIL_ORDER.length);
  const out: string[] = [];
  // jsonb keeps keys in its own order, so the page sorts them.
  const entries = Object.entries(detail ?? {}).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  for (const [key, value] of entries) {
    if (key === 'rows' && typeof value === 'number') out.push(t('admin.audit.detail.rows', { count: value.toLocaleString(locale === 'en' ? 'en-GB' : 'ja-JP') }));
    else if (key === 'filters' && value && typeof value === 'object') {
      const parts = Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => ['q', 'status', 'role', 'contact'].indexOf(a) - ['q', 'status', 'role', 'contact'].indexOf(b))
        .map(([name, v]) => {
          const text = String(v);
          const shown = name === 'status' ? label('status', text) : name === 'role' ? label('role', text) : name === 'contact' ? label('admin.members.contactFilter', text) : text;
          return t('admin.audit.detail.filterPair', { name: label('admin.audit.detail.filter', name), value: shown });
        });
      out.push(parts.length ? t('admin.audit.detail.filters', { filters: parts.join(locale === 'en' ? ', ' : '、') }) : t('admin.audit.detail.noFilters'));
    } else if (key === 'failed') out.push(label('admin.audit.detail.failed', String(value)));
    else if (key === 'page') out.push(label('admin.audit.detail.page', String(value)));
    else if (key === 'event' && typeof value === 'string') out.push(t('admin.audit.detail.event', { title: value }));
    else out.push(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return out;
}

/** HR admins read who viewed or exported restricted personal data: filters, newest first, pages by cursor. */
@ApiExcludeController()
@Controller('admin/audit-log')
export class AuditLogPageController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Access('admin')
  @Render('admin/audit-log')
  async list(@Query() raw: Record<string, unknown>, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const viewer = req.user as Viewer;
    const locale = req.locale;
    const timeZone = (res.locals.timeZone as string | undefined) ?? 'Asia/Tokyo';
    const values = typedValues(raw);
    let errors: Record<string, FieldMessage[]> = {};
    let general: FieldMessage[] = [];
    let page: AuditLogPage | undefined;
    let request: AuditLogRequest | undefined;

    // Validated here rather than by the global pipe, so that a bad filter shows on this page, next to its field.
    try {
      request = (await createValidationPipe().transform(raw ?? {}, { type: 'query', metatype: AuditLogRequest })) as AuditLogRequest;
    } catch (e) {
      if (!(e instanceof RequestValidationError)) throw e;
      errors = e.fields;
      general = e.general;
    }
    if (request) {
      try {
        page = await this.queries.execute(
          new SearchAuditLogQuery(
            viewer,
            { action: request.action, actor: request.actor, subject: request.subject, from: request.from, to: request.to, timeZone },
            { before: request.before, after: request.after },
          ),
        );
      } catch (e) {
        if (!(e instanceof DomainError) || e.status !== 400) throw e;
        if (e.field) errors = { [e.field]: [{ key: e.code, params: e.params }] };
        else general = [{ key: e.code, params: e.params }];
      }
    }
    // A problem with a filter shows at its field, with a line above the form; anything else (a page link that was
    // altered, an unknown parameter) shows above the form.
    const onForm = Object.keys(errors).filter((name) => (FILTER_FIELDS as readonly string[]).includes(name));
    if (Object.keys(errors).length > onForm.length) general.push({ key: 'admin.audit.badPageLink' });
    if (onForm.length) general.unshift({ key: 'admin.audit.invalidFilters' });
    general = general.filter((m, i) => general.findIndex((o) => o.key === m.key) === i);
    const invalid = Object.keys(errors).length > 0 || general.length > 0;
    if (invalid) res.status(400);

    const filters = request
      ? { action: request.action, actor: request.actor, subject: request.subject, from: request.from, to: request.to }
      : { action: values.action, actor: values.actor, subject: values.subject, from: values.from, to: values.to };
    const catalog = messageCatalog();
    const label = (prefix: string, value: string) => (catalog.has(locale, `${prefix}.${value}`) ? catalog.t(locale, `${prefix}.${value}`) : value);
    const rows = (page?.items ?? []).map((e: AuditEventView) => ({
      ...e,
      occurredAtIso: e.occurredAt.toISOString(),
      actionLabel: label('admin.audit.actions', e.action),
      fieldsText: e.fields.map((f) => label('admin.audit.fields', f)).join(locale === 'en' ? ', ' : '、'),
      summary: detailSummary(e.detail, locale),
      actorHref: link({ action: filters.action, from: filters.from, to: filters.to }, { actor: e.actorId }),
      subjectHref: e.subjectId ? link({ action: filters.action, from: filters.from, to: filters.to }, { subject: e.subjectId }) : null,
    }));
    const filtered = Object.values(filters).some(Boolean);
    return {
      title: 'admin.audit.title',
      section: 'audit',
      isAdmin: true,
      form: { path: req.path, values, errors, general },
      invalid,
      filtered,
      rows,
      actions: AUDIT_ACTIONS.map((value) => ({ value, label: label('admin.audit.actions', value) })),
      selectedAction: filters.action ?? '',
      pager: {
        newer: page?.newer ? link(filters, { after: page.newer }) : null,
        older: page?.older ? link(filters, { before: page.older }) : null,
        newest: request?.before || request?.after ? link(filters) : null,
      },
      timeZone,
      zoneName: catalog.has(locale, `admin.audit.zone.${timeZone}`) ? catalog.t(locale, `admin.audit.zone.${timeZone}`) : timeZone,
    };
  }
}
