"""Reading the HTML a step serves, with the standard library's html.parser.

Tests look at pages the way a browser does: which scripts and stylesheets a page loads,
which hidden fields a form carries, what text a heading shows.
"""
import re
from html.parser import HTMLParser


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, attrs as a dict), in document order
        self._open = []  # [tag, attrs, text parts] of the elements whose text is collected
        self.texts = []  # (tag, attrs, text) of elements closed so far

    def handle_starttag(self, tag, attrs):
        attributes = {name: (value if value is not None else '') for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag not in VOID:
            self._open.append([tag, attributes, []])

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, {name: (value or '') for name, value in attrs}))

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                name, attributes, parts = self._open.pop(i)
                del self._open[i:]
                raw = ''.join(parts)
                self.texts.append((name, attributes, ' '.join(raw.split())))
                if self._open:  # the parent's text includes its children's
                    self._open[-1][2].append(raw)
                return

    def handle_data(self, data):
        if self._open:
            self._open[-1][2].append(data)


VOID = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source',
        'track', 'wbr'}


def parse(html):
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def tags(html, name):
    """The attributes of every <name> tag of the page, in order."""
    return [attrs for tag, attrs in parse(html).tags if tag == name]


def texts(html, name, class_=None):
    """The text inside every <name> element (optionally with that class), whitespace folded."""
    found = []
    for tag, attrs, text in parse(html).texts:
        if tag == name and (class_ is None or class_ in attrs.get('class', '').split()):
            found.append(text)
    return found


def headings(response):
    """The texts of the <h1> elements of a test-client response."""
    return texts(response.get_data(as_text=True), 'h1')


def resources(html):
    """The URLs a page makes the browser fetch by itself: <script src> and <link href>."""
    urls = [attrs['src'] for attrs in tags(html, 'script') if attrs.get('src')]
    urls += [attrs['href'] for attrs in tags(html, 'link') if attrs.get('href')]
    return urls


def is_remote(url):
    """True for a URL that leaves the application's own server."""
    return bool(re.match(r'^\s*(https?:)?//', url, flags=re.I))


def hidden_value(html, field='csrf_token'):
    """The value of the form input named `field` (by default the hidden CSRF token), or None."""
    for attrs in tags(html, 'input'):
        if attrs.get('name') == field:
            return attrs.get('value')
    return None


def post_bodies(response):
    """The text of each post a test-client response lists (_posts.html, chapter 11 on)."""
    return [text.strip() for text in texts(response.get_data(as_text=True), 'div',
                                           class_='post-body')]
