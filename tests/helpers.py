import html


def page_of(response):
    """The text of a response as a person reads it: HTML entities decoded."""
    return html.unescape(response.content.decode())
