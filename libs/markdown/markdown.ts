import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown rendered for members: operators' descriptions (Events) and members' own posts (the forum). Raw HTML in the
 * source is not interpreted (markdown-it with `html: false` writes it as text), and the result passes an allow-list
 * sanitiser: only the elements Markdown produces, links only to http(s) and mailto with rel="nofollow noopener"
 * (members' text: also "ugc") and a new tab, no images, no attributes that run anything.
 */
const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

function sanitizeOptions(rel: string): sanitizeHtml.IOptions {
  return {
    allowedTags: ['p', 'br', 'strong', 'em', 's', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
    allowedAttributes: { a: ['href', 'rel', 'target'], ol: ['start'], th: ['align'], td: ['align'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesAppliedToAttributes: ['href'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'escape',
    transformTags: {
      // A heading in a description sits under the page's own headings.
      h1: 'h2',
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel, target: '_blank' } }),
    },
  };
}

const SANITIZE = sanitizeOptions('nofollow noopener');
/** Links written by members (forum posts) are user-generated content for search engines. */
const SANITIZE_UGC = sanitizeOptions('nofollow ugc noopener');

export interface MarkdownOptions {
  /** Text written by members rather than operators: links also get rel="ugc". */
  userContent?: boolean;
  /**
   * Images are allowed whose `src` matches this pattern in full (this site's own image paths, e.g. an article's
   * uploaded pictures); every other image is dropped. Without it, no images at all.
   */
  imageSrc?: RegExp;
}

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

function withImages(base: sanitizeHtml.IOptions, pattern: RegExp): sanitizeHtml.IOptions {
  const whole = new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace('g', ''));
  return {
    ...base,
    allowedTags: [...(base.allowedTags as string[]), 'img'],
    allowedAttributes: { ...(base.allowedAttributes as Record<string, string[]>), img: ['src', 'alt', 'loading', 'decoding'] },
    allowedSchemesByTag: { img: [] },
    transformTags: {
      ...base.transformTags,
      img: (tagName, attribs) => ({ tagName, attribs: { src: attribs.src ?? '', alt: attribs.alt ?? '', loading: 'lazy', decoding: 'async' } }),
    },
    exclusiveFilter: (frame) => frame.tag === 'img' && !whole.test(frame.attribs.src ?? ''),
  };
}

export function renderMarkdown(source: string | null | undefined, options: MarkdownOptions = {}): string {
  if (!source) return '';
  const base = options.userContent ? SANITIZE_UGC : SANITIZE;
  return sanitizeHtml(md.render(source), options.imageSrc ? withImages(base, options.imageSrc) : base).trim();
}
