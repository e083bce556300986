import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { messageCatalog, type Locale } from '@libs/i18n';
import { registerViewHelpers } from './view-helpers';

/**
 * Handlebars views. A view name `<module>/<name>` is `src/modules/<module>/web/views/<name>.hbs`; `shared/<name>`
 * is `libs/web/views/<name>.hbs`. Pages render inside `libs/web/views/layouts/main.hbs`; partials come from
 * `libs/web/views/partials` (`{{> field}}`) and from each module's `web/views/partials` (`{{> admin/menu}}`).
 * Handlebars escapes every `{{value}}`.
 */
export class ViewEngine {
  readonly hbs = Handlebars.create();
  private readonly cache = new Map<string, Handlebars.TemplateDelegate>();
  private readonly layouts = new Map<string, Handlebars.TemplateDelegate>();

  constructor(
    private readonly root = process.env.KIZUNA_ROOT ?? process.cwd(),
    private readonly cacheTemplates = process.env.NODE_ENV !== 'development',
  ) {
    registerViewHelpers(this.hbs, messageCatalog());
    this.registerPartials(join(root, 'libs', 'web', 'views', 'partials'), '');
    const modulesDir = join(root, 'src', 'modules');
    for (const module of readdirSync(modulesDir)) {
      this.registerPartials(join(modulesDir, module, 'web', 'views', 'partials'), `${module}/`);
    }
  }

  private registerPartials(dir: string, prefix: string): void {
    if (!existsSync(dir)) return;
    for (const file of readdirSync(dir)) {
      if (file.endsWith('.hbs')) this.hbs.registerPartial(`${prefix}${basename(file, '.hbs')}`, readFileSync(join(dir, file), 'utf8'));
    }
  }

  resolve(view: string): string {
    const [scope, ...rest] = view.split('/');
    const name = rest.join('/');
    if (!scope || !name || !/^[a-z0-9-]+$/.test(scope) || !/^[a-z0-9/-]+$/.test(name) || name.includes('..')) {
      throw new Error(`Bad view name "${view}"`);
    }
    return scope === 'shared'
      ? join(this.root, 'libs', 'web', 'views', `${name}.hbs`)
      : join(this.root, 'src', 'modules', scope, 'web', 'views', `${name}.hbs`);
  }

  private compile(file: string, cache: Map<string, Handlebars.TemplateDelegate>): Handlebars.TemplateDelegate {
    let template = this.cacheTemplates ? cache.get(file) : undefined;
    if (!template) {
      template = this.hbs.compile(readFileSync(file, 'utf8'), { strict: false, preventIndent: true });
      cache.set(file, template);
    }
    return template;
  }

  render(view: string, data: Record<string, unknown> & { locale?: Locale; layout?: string | false }): string {
    const body = this.compile(this.resolve(view), this.cache)(data);
    if (data.layout === false) return body;
    const layout = this.compile(join(this.root, 'libs', 'web', 'views', 'layouts', `${data.layout ?? 'main'}.hbs`), this.layouts);
    return layout({ ...data, body });
  }
}
