/**
 * Hostile Markdown an author or commenter might type: raw HTML, event handlers, script URLs in links and images,
 * entity and case tricks, SVG, iframes, CSS. Rendered, none of it may run.
 */
export const XSS_CORPUS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)><circle r=1 /></svg>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(2)">a</a>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[vb](vbscript:msgbox(1))',
  '![x](javascript:alert(1))',
  '![x](https://evil.example/track.png)',
  '![x](/content/images/0123456789abcdef0123456789abcdef/960" onerror="alert(1))',
  '![x](/content/images/../../admin/960)',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<style>body{display:none}</style>',
  '<form action="https://evil.example"><input name=p></form>',
  '<object data="javascript:alert(1)"></object>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '"><script>alert(1)</script>',
  '`<script>alert(1)</script>`',
  '```html\n<script>alert(1)</script>\n```',
];

/** What rendered HTML must never contain: active elements, images other than this site's content images, handlers, script URLs. */
export const ACTIVE_HTML =
  /<(script|iframe|svg|object|style|form|input|math)\b|<img(?![^>]*\ssrc="\/content\/images\/[0-9a-f]{32}\/(?:960|full)")|<[^>]*\son\w+\s*=|<[^>]*(href|src)\s*=\s*"\s*(javascript|data|vbscript):/i;
