/** Undoes Handlebars' HTML escaping, to compare with the text a person reads. */
export function decode(html: string): string {
  return html
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The text inside <main>, without tags: what a person reads on the page. */
export function mainText(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? html;
  return decode(main.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '));
}
