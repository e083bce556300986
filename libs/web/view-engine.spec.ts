import { join } from 'node:path';
import Handlebars from 'handlebars';
import { MessageCatalog } from '@libs/i18n';
import { ViewEngine } from './view-engine';
import { registerViewHelpers } from './view-helpers';

const ROOT = process.cwd();
const XSS = '<script>alert("x")</script>';

describe('ViewEngine', () => {
  const engine = new ViewEngine(ROOT, true);

  describe('resolve', () => {
    it('finds shared views under libs/web/views', () => {
      expect(engine.resolve('shared/errors/error')).toBe(join(ROOT, 'libs', 'web', 'views', 'errors', 'error.hbs'));
    });

    it('finds module views under the module web/views folder', () => {
      expect(engine.resolve('membership/profile/edit')).toBe(join(ROOT, 'src', 'modules', 'membership', 'web', 'views', 'profile', 'edit.hbs'));
    });

    it.each([
      'shared/../../etc/passwd',
      'membership/../../../secret',
      '../shared/errors/error',
      'shared/errors/..',
      'shared/..',
      '..',
      'shared',
      'shared/',
      '/errors/error',
      '',
      'Shared/errors/error',
      'shared/errors/error.hbs',
      'membership/profile\\..\\x',
    ])('refuses the view name "%s"', (name) => {
      expect(() => engine.resolve(name)).toThrow(/Bad view name/);
    });
  });

  describe('render', () => {
    it('renders the error page in Japanese without the layout', () => {
      const html = engine.render('shared/errors/error', {
        layout: false,
        locale: 'ja',
        status: 404,
        heading: 'errors.notFound.heading',
        message: 'errors.notFound.message',
      });
      expect(html).toContain('<p class="error-status">404</p>');
      expect(html).toContain('<h1>ページが見つかりません</h1>');
      expect(html).toContain('ホームへ戻る');
      expect(html).not.toContain('<!doctype html>');
    });

    it('renders the error page in English', () => {
      const html = engine.render('shared/errors/error', { layout: false, locale: 'en', status: 404, heading: 'errors.notFound.heading', message: 'errors.notFound.message' });
      expect(html).toContain('<h1>Page not found</h1>');
      expect(html).toContain('Back to home');
    });

    it('escapes markup passed as data', () => {
      const html = engine.render('shared/errors/error', { layout: false, locale: 'ja', status: XSS, heading: XSS, message: 'errors.server.message' });
      expect(html).not.toContain('<script>');
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    });

    it('wraps a page in the main layout unless told not to', () => {
      const html = engine.render('shared/errors/error', {
        locale: 'en',
        status: 500,
        heading: 'errors.server.heading',
        message: 'errors.server.message',
        communityName: 'Kizuna <Test>',
        title: 'errors.server.heading',
      });
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).toContain('<html lang="en">');
      expect(html).toContain('<title>Something went wrong | Kizuna &lt;Test&gt;</title>');
      expect(html).toContain('<h1>Something went wrong</h1>');
    });

    it('refuses to render a view outside the view folders', () => {
      expect(() => engine.render('shared/../../package', { layout: false })).toThrow(/Bad view name/);
    });
  });
});

describe('view helpers', () => {
  const hbs = Handlebars.create();
  registerViewHelpers(hbs, new MessageCatalog(ROOT));
  const render = (source: string, data: Record<string, unknown> = {}) => hbs.compile(source)(data);

  describe('t', () => {
    it('translates into the page language, Japanese by default', () => {
      expect(render('{{t "form.save"}}', { locale: 'ja' })).toBe('保存する');
      expect(render('{{t "form.save"}}', { locale: 'en' })).toBe('Save');
      expect(render('{{t "form.save"}}')).toBe('保存する');
    });

    it('fills placeholders from the named arguments', () => {
      const source = '{{t "form.pageOf" page=2 pages=5 total=48}}';
      expect(render(source, { locale: 'ja' })).toBe('2 / 5 ページ（全48件）');
      expect(render(source, { locale: 'en' })).toBe('Page 2 of 5 (48 in all)');
    });

    it('escapes markup in parameters', () => {
      expect(render('{{t "form.rowError" row=1 message=m}}', { locale: 'en', m: XSS })).toBe('Row 1: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    });

    it('uses the page language inside loops', () => {
      expect(render('{{#each items}}{{t this}};{{/each}}', { locale: 'en', items: ['form.save', 'form.cancel'] })).toBe('Save;Cancel;');
    });

    it('shows the key of a message that does not exist', () => {
      expect(render('{{t "no.such.message"}}', { locale: 'en' })).toBe('no.such.message');
    });
  });

  describe('tv', () => {
    it('translates an enum value under a prefix and shows nothing for no value', () => {
      expect(render('{{tv "status" s}}', { locale: 'en', s: 'alumni' })).toBe('Alumni');
      expect(render('{{tv "role" r}}', { locale: 'ja', r: 'operator' })).toBe('運営事務局');
      expect(render('[{{tv "status" s}}]', { locale: 'en', s: null })).toBe('[]');
      expect(render('[{{tv "status" s}}]', { locale: 'en', s: '' })).toBe('[]');
    });
  });

  describe('date', () => {
    it('formats a calendar date in the page language without shifting the day', () => {
      expect(render('{{date d}}', { locale: 'ja', d: '2024-03-05' })).toBe('2024/03/05');
      expect(render('{{date d}}', { locale: 'en', d: '2024-03-05' })).toBe('5 Mar 2024');
      expect(render('{{date d}}', { locale: 'en', d: '2024-03-05', timeZone: 'America/Los_Angeles' })).toBe('5 Mar 2024');
    });

    it('formats a moment in Japan time unless the viewer has another time zone', () => {
      const d = new Date('2024-03-05T15:30:00Z');
      expect(render('{{date d "datetime"}}', { locale: 'ja', d })).toBe('2024/03/06 0:30');
      expect(render('{{date d "datetime"}}', { locale: 'en', d })).toBe('6 Mar 2024, 00:30');
      expect(render('{{date d "datetime"}}', { locale: 'en', d, timeZone: 'Europe/London' })).toBe('5 Mar 2024, 15:30');
      expect(render('{{date d}}', { locale: 'ja', d })).toBe('2024/03/06');
    });

    it('accepts timestamps given as text', () => {
      expect(render('{{date d "datetime"}}', { locale: 'ja', d: '2024-03-05T15:30:00Z' })).toBe('2024/03/06 0:30');
    });

    it('shows nothing for a missing or unreadable date', () => {
      expect(render('[{{date d}}]', { d: null })).toBe('[]');
      expect(render('[{{date d}}]', {})).toBe('[]');
      expect(render('[{{date d}}]', { d: 'not a date' })).toBe('[]');
      expect(render('[{{date d}}]', { d: new Date(Number.NaN) })).toBe('[]');
    });
  });

  describe('form state', () => {
    const form = {
      values: { email: 'typed@example.jp', nickname: '', note: XSS },
      errors: {
        email: [{ key: 'validation.isEmail' }, { key: 'validation.maxLength', params: { max: 254 } }],
        'career.0.from': [{ key: 'validation.month' }],
        'career.2.to': [{ key: 'validation.dateRange' }],
        career: [{ key: 'validation.arrayMaxSize', params: { max: 20 } }],
        careerNote: [{ key: 'validation.isString' }],
      },
    };

    it('lists the messages of one field in the page language', () => {
      const source = '{{#each (fieldErrors "email")}}<p>{{this}}</p>{{/each}}';
      expect(render(source, { locale: 'en', form })).toBe('<p>Please enter a valid e-mail address.</p><p>Use at most 254 characters.</p>');
      expect(render(source, { locale: 'ja', form })).toBe('<p>メールアドレスの形式で入力してください。</p><p>254文字以内で入力してください。</p>');
    });

    it('lists nothing for a field without errors or a page without a form', () => {
      expect(render('{{#if (fieldErrors "nickname")}}invalid{{else}}ok{{/if}}', { form })).toBe('ok');
      expect(render('{{#if (fieldErrors "email")}}invalid{{else}}ok{{/if}}', {})).toBe('ok');
    });

    it('shows the submitted value, even an empty one, over the stored value', () => {
      expect(render('{{fieldValue "email" stored}}', { form, stored: 'old@example.jp' })).toBe('typed@example.jp');
      expect(render('[{{fieldValue "nickname" stored}}]', { form, stored: 'はなこ' })).toBe('[]');
    });

    it('shows the stored value when the form was not sent back, and nothing without either', () => {
      expect(render('{{fieldValue "email" stored}}', { stored: 'old@example.jp' })).toBe('old@example.jp');
      expect(render('{{fieldValue "location" stored}}', { form, stored: '東京' })).toBe('東京');
      expect(render('[{{fieldValue "location" stored}}]', { form })).toBe('[]');
    });

    it('escapes submitted values', () => {
      expect(render('{{fieldValue "note" ""}}', { form })).not.toContain('<script>');
    });

    it('lists the messages of repeated rows with their row numbers counted from one', () => {
      const source = '{{#each (errorsUnder "career")}}<li>{{this}}</li>{{/each}}';
      expect(render(source, { locale: 'en', form })).toBe(
        '<li>Row 1: Please choose a month.</li><li>Row 3: This date must come after the start.</li><li>Use at most 20 entries.</li>',
      );
      expect(render(source, { locale: 'ja', form })).toBe(
        '<li>1行目：年月を選んでください。</li><li>3行目：開始より後の日付を入力してください。</li><li>20件までにしてください。</li>',
      );
    });

    it('lists nothing under a prefix without errors', () => {
      expect(render('{{#each (errorsUnder "qualifications")}}x{{/each}}', { form })).toBe('');
      expect(render('{{#each (errorsUnder "career")}}x{{/each}}', {})).toBe('');
    });
  });

  describe('logic and list helpers', () => {
    it('compares, combines and joins values', () => {
      expect(render('{{#if (eq a "x")}}y{{else}}n{{/if}}', { a: 'x' })).toBe('y');
      expect(render('{{#if (ne a "x")}}y{{else}}n{{/if}}', { a: 'x' })).toBe('n');
      expect(render('{{#if (not a)}}y{{else}}n{{/if}}', { a: '' })).toBe('y');
      expect(render('{{#if (and a b)}}y{{else}}n{{/if}}', { a: 1, b: 0 })).toBe('n');
      expect(render('{{#if (or a b)}}y{{else}}n{{/if}}', { a: 0, b: 'b' })).toBe('y');
      expect(render('{{#if (includes l "b")}}y{{else}}n{{/if}}', { l: ['a', 'b'] })).toBe('y');
      expect(render('{{#if (includes l "b")}}y{{else}}n{{/if}}', { l: 'abc' })).toBe('n');
      expect(render('{{join l}}', { l: ['営業', '企画'] })).toBe('営業、企画');
      expect(render('{{join l ", "}}', { l: ['a', 'b'] })).toBe('a, b');
      expect(render('[{{join l}}]', { l: null })).toBe('[]');
      expect(render('{{add i 1}}', { i: 2 })).toBe('3');
      expect(render('{{concat "career." i ".from"}}', { i: 0 })).toBe('career.0.from');
    });
  });
});
