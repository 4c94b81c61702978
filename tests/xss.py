"""Stored XSS: payloads, and what a page may gain when a post or a comment holds one."""
from collections import Counter

import pages

# what a post's HTML may hold: the book's tags and attributes; nh3 adds rel to links
POST_TAGS = {'a': {'href', 'title', 'rel'}, 'abbr': {'title'}, 'acronym': {'title'},
             **{tag: set() for tag in ('b', 'blockquote', 'code', 'em', 'i', 'li', 'ol', 'pre',
                                       'strong', 'ul', 'h1', 'h2', 'h3', 'p')}}
# a comment's: fewer tags (13a)
COMMENT_TAGS = {'a': {'href', 'title', 'rel'}, 'abbr': {'title'}, 'acronym': {'title'},
                **{tag: set() for tag in ('b', 'code', 'em', 'i', 'strong')}}
XSS = [
    '<script>alert(1)</script>',
    '"><script>alert(1)</script>',
    '<scr<script>ipt>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<svg onload=alert(1)>',
    '<div onmouseover="alert(1)">hover</div>',
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    '[click](javascript:alert(1))',
    '<a href="javascript:alert(1)">a</a>',
    '<a href="JaVaScRiPt:alert(1)">a</a>',
    '<a href="&#106;avascript:alert(1)">entity</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<style>body { display: none }</style>',
    '<form action="https://evil.example"><input name="x"></form>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<b onclick=alert(1)>unclosed',
    '<img src="x" onerror="alert(1)"',
    '&lt;script&gt;alert(1)&lt;/script&gt;',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
]


def tag_counts(html):
    # a time shown with Flask-Moment changes from one request to the next: not the post's
    return Counter((tag, tuple(sorted((name, '' if name == 'data-timestamp' else value)
                                      for name, value in attrs.items())))
                   for tag, attrs in pages.parse(html).tags)


def unsafe_tags(html, baseline, allowed=POST_TAGS):
    """The tags `html` has beyond `baseline` (the same page with a harmless post or comment)
    that sanitised text may not hold: another tag, another attribute, a link to another
    scheme."""
    added = tag_counts(html) - tag_counts(baseline)
    problems = []
    for (tag, attrs), _ in added.items():
        attrs = dict(attrs)
        if tag not in allowed or set(attrs) - allowed[tag]:
            problems.append((tag, attrs))
        elif tag == 'a' and 'href' in attrs and not attrs['href'].startswith(
                ('https://', 'http://', 'mailto:')):
            problems.append((tag, attrs))
    return problems
