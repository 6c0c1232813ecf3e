"""sources.yaml selectors applied to a page: CSS (with ::text, ::attr(x)) or XPath
(starting with / or ( or ./), each relative to the listed item it is applied to."""
from __future__ import annotations

from cssselect import SelectorError
from lxml import etree
from parsel import Selector, SelectorList

from veille.pagewatch import element_text


class SelectorSyntaxError(ValueError):
    """A selector in sources.yaml cannot be read as CSS or XPath."""


def is_xpath(expr: str) -> bool:
    return expr.lstrip().startswith(("/", "(", "./"))


def select(node: Selector, expr: str) -> SelectorList:
    """Nodes matched by a CSS or XPath selector. A relative XPath such as '//h3' is
    applied from the item (as './/h3') so that it reads the item, not the whole page."""
    try:
        if is_xpath(expr):
            expr = expr.strip()
            if expr.startswith("//"):
                expr = "." + expr
            return node.xpath(expr)
        return node.css(expr)
    except (ValueError, SelectorError, etree.XPathError) as exc:
        raise SelectorSyntaxError(f"selector {expr!r} is neither valid CSS nor XPath ({exc})") from None


def check(expr: str) -> None:
    """Raise SelectorSyntaxError now rather than on the first page."""
    select(Selector(text="<html></html>"), expr)


def texts(node: Selector, expr: str) -> list[str]:
    """Every non-empty string the selector gives: text and attribute values as they are,
    elements as their visible text."""
    out = []
    for found in select(node, expr):
        root = found.root
        value = element_text(root) if isinstance(root, etree._Element) else str(root)
        value = " ".join(value.split())
        if value:
            out.append(value)
    return out


def first(node: Selector, expr: str | None) -> str | None:
    if not expr:
        return None
    values = texts(node, expr)
    return values[0] if values else None


def joined(node: Selector, expr: str | None) -> str | None:
    """A CSS '::text' reads the first matched element's whole visible text ('h3 a::text'
    over '<a>Robots <em>cobots</em></a>' would otherwise lose 'cobots'); other selectors
    give all their pieces joined."""
    if not expr:
        return None
    if not is_xpath(expr) and expr.rstrip().endswith("::text"):
        whole = expr.rstrip()[:-len("::text")].rstrip()
        if whole:  # the first element: in broken markup items nest, and so would titles
            value = next(iter(texts(node, whole)), None)
            if value:
                return value
    return " ".join(texts(node, expr)) or None
