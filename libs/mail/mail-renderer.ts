import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { messageCatalog, type Locale } from '@libs/i18n';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/**
 * Mail templates live beside the module that sends them: `src/modules/<module>/mail/<name>.<locale>.hbs`,
 * first line `Subject: …`, the rest the plain-text body. The HTML part is the same text, escaped, with links.
 */
export class MailRenderer {
  private readonly cache = new Map<string, { subject: Handlebars.TemplateDelegate; body: Handlebars.TemplateDelegate }>();
  private readonly hbs = Handlebars.create();

  constructor(private readonly root = process.env.KIZUNA_ROOT ?? process.cwd()) {
    const catalog = messageCatalog();
    this.hbs.registerHelper('t', function (this: unknown, key: string, options: Handlebars.HelperOptions) {
      const locale = (options.data.root as { locale: Locale }).locale;
      return catalog.t(locale, key, options.hash as Record<string, unknown>);
    });
  }

  private load(template: string, locale: Locale) {
    const id = `${template}.${locale}`;
    let compiled = this.cache.get(id);
    if (!compiled) {
      const [module, name] = template.split('/');
      if (!module || !name || !/^[a-z0-9-]+$/.test(module) || !/^[a-z0-9-]+$/.test(name)) {
        throw new Error(`Bad mail template name "${template}"`);
      }
      const source = readFileSync(join(this.root, 'src', 'modules', module, 'mail', `${name}.${locale}.hbs`), 'utf8');
      const [first, ...rest] = source.split('\n');
      if (!first.startsWith('Subject:')) throw new Error(`Mail template ${id} must start with "Subject:"`);
      compiled = {
        subject: this.hbs.compile(first.slice('Subject:'.length).trim(), { noEscape: true }),
        body: this.hbs.compile(rest.join('\n').trim() + '\n', { noEscape: true }),
      };
      this.cache.set(id, compiled);
    }
    return compiled;
  }

  render(template: string, locale: Locale, data: Record<string, unknown>): RenderedMail {
    const compiled = this.load(template, locale);
    const context = { ...data, locale };
    const subject = compiled.subject(context).replace(/[\r\n]+/g, ' ');
    const text = compiled.body(context);
    const html = `<!doctype html><html lang="${locale}"><body style="font-family:sans-serif;line-height:1.8">` +
      escapeHtml(text)
        .replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`)
        .split(/\n{2,}/)
        .map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`)
        .join('') +
      '</body></html>';
    return { subject, text, html };
  }
}
