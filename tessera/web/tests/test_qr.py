"""The QR code of the join page: an inline, titled SVG that decodes to nothing but paths."""

from __future__ import annotations

from tessera.web.qr import qr_svg


def test_an_inline_svg_named_by_its_escaped_title() -> None:
    svg = qr_svg("http://testserver/walk-in/7/", title="Join <Bruno's> line")
    assert svg.startswith('<svg role="img" viewBox=')
    assert "<title>Join &lt;Bruno's&gt; line</title>" in svg
    assert "<script" not in svg and "width=" not in svg.split(">")[0]


def test_longer_data_gives_a_bigger_code() -> None:
    short = qr_svg("http://a/", title="t")
    long = qr_svg("http://example.test/walk-in/123456/?" + "x" * 200, title="t")
    size = lambda svg: int(svg.split('viewBox="0 0 ')[1].split(" ")[0])  # noqa: E731
    assert size(long) > size(short)
