import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown written by operators, rendered for members. Raw HTML in the source is not interpreted (markdown-it with
 * `html: false` writes it as text), and the result passes an allow-list sanitiser: only the elements Markdown
 * produces, links only to http(s) and mailto with rel="nofollow noopener" (and a new tab), no images, no attributes
 * that run anything.
 */
const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 's', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'rel', 'target'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    // A heading in a description sits under the page's own headings.
    h1: 'h2',
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow noopener', target: '_blank' } }),
  },
};

/** HTML that a view prints as is (Handlebars calls toHTML instead of escaping). */
export class SafeHtml {
  constructor(private readonly html: string) {}
  toHTML(): string {
    return this.html;
  }
  toString(): string {
    return this.html;
  }
}

export function renderMarkdown(source: string | null | undefined): string {
  if (!source) return '';
  return sanitizeHtml(md.render(source), SANITIZE).trim();
}
