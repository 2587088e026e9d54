"""What WeasyPrint leaves for PDF/UA, done on its tagged PDF/A-2a output with pikepdf.

WeasyPrint (v70) tags headings, tables, lists and figures, but:

- running headers and footers (page margin boxes) get marked-content ids that no structure element
  in the tree owns, so a checker counts them as untagged content: they become ``/Artifact``;
- table header cells carry no ``/Scope``: a cell in the table head heads its column, a header cell
  in the body heads its row;
- a figure's ``/BBox`` is in CSS pixels from the top of the page, not in PDF points from the bottom,
  so a chart ran past the right edge of the page: it is converted;
- a link annotation's ``/Contents`` is the target's id ("sec-summary"): it gets the words a
  screen reader should say ("Go to 2. Leavers, new hires and turnover");
- an element's own language (a quote written in English in a nynorsk report) is not carried over:
  the report passes the quotes' languages in document order and each ``/BlockQuote`` gets its ``/Lang``;
- the XMP metadata says PDF/A only: the PDF/UA identification (with the extension schema PDF/A
  requires for a namespace it does not know) is added.

The result stays PDF/A-2a, and stays deterministic: the same input gives the same bytes.
"""
from __future__ import annotations

import io
import re
from decimal import Decimal

import pikepdf
from pikepdf import Array, Dictionary, Name, String

PX_TO_PT = Decimal("0.75")   # WeasyPrint draws in CSS pixels: 96 per inch, 72 points per inch

PDFUA_XMP = """<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA identification schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Part of ISO 14289 the document conforms to</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
"""


def _is_element(node) -> bool:
    return isinstance(node, Dictionary) and "/S" in node


def _children(element) -> list:
    kids = element.get("/K")
    if isinstance(kids, Array):
        return [k for k in kids if _is_element(k)]
    return [kids] if _is_element(kids) else []


def _walk(element, ancestors: tuple = ()):
    """Every structure element under ``element`` in document order, with the types above it."""
    yield element, ancestors
    for child in _children(element):
        yield from _walk(child, ancestors + (str(element.S),))


def finish(data: bytes, link_texts: dict[str, str], quote_languages: list[str | None]) -> bytes:
    """The PDF/UA-ready PDF. ``link_texts`` maps a link target's id to what the link says;
    ``quote_languages`` holds, for each blockquote in document order, its language where it
    differs from the document's (else None)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.StructTreeRoot
        elements = [pair for top in root.K for pair in _walk(top)]
        reachable = {element.objgen for element, _above in elements}
        _artifacts(pdf, root, reachable)
        heights = {page.objgen: Decimal(str(page.MediaBox[3])) for page in pdf.pages}
        widths = {page.objgen: Decimal(str(page.MediaBox[2])) for page in pdf.pages}
        quotes = iter(quote_languages)
        for element, above in elements:
            kind = str(element.S)
            if kind == "/TH":
                attributes = element.get("/A") or Dictionary(O=Name.Table)
                attributes.Scope = Name.Column if "/THead" in above else Name.Row
                element.A = attributes
            elif kind == "/Figure" and "/A" in element and "/BBox" in element.A and "/Pg" in element:
                page = element.Pg.objgen
                element.A.BBox = _points(element.A.BBox, heights[page], widths[page])
            elif kind == "/BlockQuote":
                language = next(quotes, None)
                if language:
                    element.Lang = String(language)
        for page in pdf.pages:
            for annotation in page.get("/Annots", []):
                if annotation.get("/Subtype") == Name.Link and "/Dest" in annotation:
                    target = str(annotation.Dest)
                    if target in link_texts:
                        annotation.Contents = String(link_texts[target])
        _declare_pdfua(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _artifacts(pdf, root, reachable: set) -> None:
    """Marked content no structure element in the tree owns (page headers, footers and numbers)
    becomes an artifact, and leaves the parent tree."""
    nums = root.ParentTree.Nums
    orphans: dict[int, set[int]] = {}
    for i in range(0, len(nums), 2):
        key, value = int(nums[i]), nums[i + 1]
        if not isinstance(value, Array) or key >= len(pdf.pages):
            continue
        for mcid, ref in enumerate(value):
            if isinstance(ref, Dictionary) and ref.objgen not in reachable:
                orphans.setdefault(key, set()).add(mcid)
                value[mcid] = pikepdf.Object.parse(b"null")
    for index, mcids in orphans.items():
        page = pdf.pages[index]
        contents = page.obj.Contents
        streams = list(contents) if isinstance(contents, Array) else [contents]
        data = b"\n".join(stream.read_bytes() for stream in streams)

        def mark(match, mcids=mcids):
            # The text inside is hex glyph codes, so the operator cannot be mistaken for text.
            return _ARTIFACT if int(match.group(2)) in mcids else match.group(0)
        page.obj.Contents = pdf.make_stream(_MARKED.sub(mark, data))


_MARKED = re.compile(rb"/([A-Za-z0-9]+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"


def _points(box, height: Decimal, width: Decimal) -> Array:
    """A box in WeasyPrint's CSS pixels (y down from the top) as PDF points (y up), inside the page."""
    x1, y1, x2, y2 = (Decimal(str(v)) * PX_TO_PT for v in box)
    left, right = max(Decimal(0), min(x1, x2)), min(width, max(x1, x2))
    bottom, top = max(Decimal(0), height - max(y1, y2)), min(height, height - min(y1, y2))
    return Array([round(v, 2) for v in (left, bottom, right, top)])


def _declare_pdfua(pdf) -> None:
    metadata = pdf.Root.Metadata
    xml = metadata.read_bytes().decode("utf-8")
    if "pdfuaid:part" in xml:
        return
    xml = xml.replace("</rdf:RDF>", PDFUA_XMP + "</rdf:RDF>", 1)
    stream = pdf.make_stream(xml.encode("utf-8"))
    stream.Type, stream.Subtype = Name.Metadata, Name.XML
    pdf.Root.Metadata = stream
