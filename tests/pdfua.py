"""Reading a tagged PDF back the way assistive technology does: the structure tree with each element's
text, alternative text and table attributes (pypdf), and a page rendered to PNG (pypdfium2).

The text of a structure element is the text of the marked content (MCIDs) it owns: every page's content
stream is read once, and each piece of text is assigned to the marked-content sequence it is drawn in.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "reports"


@dataclass
class Node:
    role: str  # the structure type without the slash: Document, Sect, H1, P, Table, TH, TD, Figure, ...
    texts: list[str] = field(default_factory=list)  # own marked content, in drawing order
    children: list[Node] = field(default_factory=list)
    alt: str | None = None
    id: str | None = None
    headers: list[str] = field(default_factory=list)  # a TD's /A /Headers: the IDs of its TH cells
    page: int | None = None
    ref: int | None = None  # the object number of the structure element
    mcids: list[tuple[int, int]] = field(default_factory=list)  # (page index, MCID) it owns

    @property
    def text(self) -> str:
        out = ""
        for part in [*self.texts, *(c.text for c in self.children)]:
            if part:  # lines are joined with a space, except after a line broken at a hyphen
                out += part if not out or out.endswith("-") else " " + part
        return " ".join(out.split())

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def find(self, *roles: str) -> list[Node]:
        return [n for n in self.walk() if n.role in roles]


@dataclass
class TaggedPdf:
    reader: PdfReader
    tree: Node
    drawn: dict[tuple[int, int], list[str]]  # every marked-content sequence in the pages, with its text

    @property
    def catalog(self) -> DictionaryObject:
        return self.reader.trailer["/Root"]

    def headings(self) -> list[tuple[str, str]]:
        return [(n.role, n.text) for n in self.tree.walk() if re.fullmatch(r"H[1-6]", n.role)]

    def outline(self) -> list:
        """The bookmarks as nested lists of titles."""

        def titles(items):
            out = []
            for item in items:
                if isinstance(item, list):
                    out.append(titles(item))
                else:
                    out.append(item.title)
            return out

        return titles(self.reader.outline)

    def id_tree(self) -> dict[str, Node]:
        """The /IDTree: element ID -> structure element (how a TD's /Headers are resolved)."""
        names = self.catalog["/StructTreeRoot"]["/IDTree"]["/Names"]
        by_ref = {n.ref: n for n in self.tree.walk()}
        return {str(names[i]): by_ref.get(names[i + 1].idnum) for i in range(0, len(names), 2)}

    def marked_content_problems(self, outside: str | None = None) -> list[str]:
        """What is wrong between the pages' marked content, the structure tree and the parent tree:
        content owned twice or by nobody (unless its text matches ``outside``: the running footer, which
        WeasyPrint keeps out of the tree), and parent-tree entries that do not name the owner."""
        problems = []
        owners: dict[tuple[int, int], list[int]] = {}
        for n in self.tree.walk():
            for key in n.mcids:
                owners.setdefault(key, []).append(n.ref)
        for key, refs in owners.items():
            if len(refs) != 1:
                problems.append(f"{key} owned by {refs}")
        for key, texts in self.drawn.items():
            if key not in owners and not (outside and re.fullmatch(outside, " ".join(texts))):
                problems.append(f"{key} {texts} is not in the structure tree")
        nums = self.catalog["/StructTreeRoot"]["/ParentTree"]["/Nums"]
        parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for (page, mcid), refs in owners.items():
            entries = parent_tree[int(self.reader.pages[page].get("/StructParents", page))]
            if entries[mcid].idnum != refs[0]:
                problems.append(f"parent tree names {entries[mcid].idnum} for {(page, mcid)}, not {refs[0]}")
        return problems


def _page_texts(reader: PdfReader) -> dict[tuple[int, int], list[str]]:
    """(page index, MCID) -> the text drawn in that marked-content sequence."""
    out: dict[tuple[int, int], list[str]] = {}
    for index, page in enumerate(reader.pages):
        current: list[int | None] = [None]

        def before(op, args, cm, tm, current=current, index=index):
            if op == b"BDC" and len(args) > 1 and hasattr(args[1], "get"):
                current[0] = args[1].get("/MCID")
                if current[0] is not None:
                    out.setdefault((index, current[0]), [])

        def text(t, cm, tm, font, size, current=current, index=index):
            if t.strip() and current[0] is not None:
                out.setdefault((index, current[0]), []).append(t.strip())

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return out


def read(data: bytes) -> TaggedPdf:
    reader = PdfReader(io.BytesIO(data))
    pages = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    texts = _page_texts(reader)

    def node(obj, page: int | None) -> Node:
        d = obj.get_object()
        pg = d.get("/Pg")
        page = pages.get(pg.idnum, page) if isinstance(pg, IndirectObject) else page
        n = Node(role=str(d.get("/S", "/?"))[1:], page=page, ref=obj.idnum)
        if "/Alt" in d:
            n.alt = str(d["/Alt"])
        if "/ID" in d:
            n.id = str(d["/ID"])
        attrs = d.get("/A")
        if attrs is not None and "/Headers" in attrs.get_object():
            n.headers = [str(h) for h in attrs.get_object()["/Headers"]]
        kids = d.get("/K", [])
        kids = kids if isinstance(kids, ArrayObject | list) else [kids]
        for kid in kids:
            if isinstance(kid, int):
                n.texts += texts.get((page, kid), [])
                n.mcids.append((page, kid))
            elif kid.get_object().get("/Type") == "/OBJR":
                continue  # a link annotation
            elif kid.get_object().get("/Type") == "/MCR":  # marked content on another page
                ref = kid.get_object()
                key = (pages[ref["/Pg"].idnum], int(ref["/MCID"]))
                n.texts += texts.get(key, [])
                n.mcids.append(key)
            else:
                n.children.append(node(kid, page))
        return n

    root = reader.trailer["/Root"]["/StructTreeRoot"]
    tree = Node("StructTreeRoot", children=[node(k, None) for k in root["/K"]])
    return TaggedPdf(reader, tree, texts)


def render_page(data: bytes, page_index: int, name: str) -> Path:
    """One page as a PNG in test-artifacts/reports/ (pypdfium2: PDFium, the engine of Chromium's PDF
    viewer, so an independent reader of what WeasyPrint wrote)."""
    import pypdfium2 as pdfium

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    doc = pdfium.PdfDocument(data)
    try:
        image = doc[page_index].render(scale=1.5).to_pil()
        image.save(path)
    finally:
        doc.close()
    return path
