"""One structure element per HTML element in the tagged PDF, also where a page break splits it.

WeasyPrint builds the structure tree page by page: a section, paragraph or table that runs over a page
break becomes one structure element per page (Kozea/WeasyPrint#2903, open in 68 and 69), so a screen
reader announces a long table as several tables and a paragraph as several. The PDF format has no such
limit: an element may own content on several pages. Here, while WeasyPrint builds the tree, the HTML
element each structure element comes from is noted (``_recording_build``), and a finisher merges sibling
structure elements of the same HTML element into the first one (``merge_split_elements``): their kids
move over (marked content of another page as a marked-content reference with its own page) and the
parent tree points at the kept element. The repeated header row of a table stays where it is printed
(a reader going through the table hears it again where a sighted reader sees it again). The finisher
also writes the /IDTree that resolves a data cell's /Headers to its header cells, and describes each
internal link by the title it leads to.
"""

from __future__ import annotations

import pydyf

try:  # WeasyPrint's tag builder; without it (another WeasyPrint) the split elements simply stay split
    from weasyprint.pdf import tags as _wp_tags

    _original_build = getattr(_wp_tags._build_box_tree, "__wrapped__", _wp_tags._build_box_tree)
except (ImportError, AttributeError):  # pragma: no cover - depends on the installed WeasyPrint
    _wp_tags = _original_build = None

ORIGINS = "_reintegratie_tag_origins"


def _recording_build(box, parent, pdf, *args):
    """WeasyPrint's builder, noting on the PDF object (one per rendering, so thread-safe) for each
    structure element the HTML element it was made for."""
    origins = pdf.__dict__.setdefault(ORIGINS, {})
    for element in _original_build(box, parent, pdf, *args):
        inner = getattr(box, "_box", box)  # an absolutely positioned box's placeholder
        origins.setdefault(id(element), (element, getattr(inner, "element", None)))
        yield element


if _wp_tags is not None:
    _recording_build.__wrapped__ = _original_build
    _wp_tags._build_box_tree = _recording_build  # recursion inside WeasyPrint goes through the name


def merge_split_elements(pdf) -> int:
    """Merge sibling structure elements made for the same HTML element; returns how many were merged."""
    origins: dict[int, tuple[pydyf.Dictionary, object]] = getattr(pdf, ORIGINS, None) or {}
    by_ref = {element.reference: element for element, _origin in origins.values()}
    origin_of = {element.reference: origin for element, origin in origins.values()}
    replaced: dict[bytes, bytes] = {}

    def as_kid(kid, page_ref):
        """A kid that can live in another element: an MCID keeps its page as a marked-content reference."""
        if isinstance(kid, int):
            return pydyf.Dictionary({"Type": "/MCR", "Pg": page_ref, "MCID": kid})
        return kid

    def merge(element: pydyf.Dictionary) -> None:
        kept: list = []
        previous = None
        for kid in element.get("K", []):
            child = by_ref.get(kid) if isinstance(kid, bytes) else None
            if (
                child is not None
                and previous is not None
                and origin_of.get(kid) is not None
                and origin_of.get(kid) is origin_of.get(previous.reference)
                and child["S"] == previous["S"]
                and child["Pg"] != previous["Pg"]  # a fragment on a later page, not a sibling box
            ):
                for grandkid in child["K"]:
                    moved = as_kid(grandkid, child["Pg"])
                    if isinstance(moved, pydyf.Dictionary) and moved.get("Type") == "/MCR":
                        pdf.add_object(moved)
                        previous["K"].append(moved.reference)
                        continue
                    if isinstance(grandkid, bytes) and grandkid in by_ref:
                        by_ref[grandkid]["P"] = previous.reference
                    previous["K"].append(grandkid)
                child["K"] = pydyf.Array()
                replaced[kid] = previous.reference
                continue
            kept.append(kid)
            previous = child
        if "K" in element:
            element["K"] = pydyf.Array(kept)
        for kid in kept:
            if isinstance(kid, bytes) and kid in by_ref:
                merge(by_ref[kid])

    root = next(
        (o for o in pdf.objects if isinstance(o, pydyf.Dictionary) and o.get("Type") == "/StructTreeRoot"),
        None,
    )
    if root is None or not by_ref:
        return 0
    objects = {o.reference: o for o in pdf.objects if isinstance(o, pydyf.Dictionary)}
    for top in root["K"]:
        document = objects[top]
        merge(document)
    # The parent tree maps each page's MCIDs (and each link) to its structure element.
    parent_tree = objects[root["ParentTree"]]
    nums = parent_tree["Nums"]
    for i in range(1, len(nums), 2):
        value = nums[i]
        if isinstance(value, pydyf.Array | list):
            nums[i] = pydyf.Array([_final(replaced, ref) for ref in value])
        else:
            nums[i] = _final(replaced, value)
    _add_id_tree(root, origins.values(), replaced)
    return len(replaced)


def _add_id_tree(root: pydyf.Dictionary, elements, replaced: dict[bytes, bytes]) -> None:
    """The ID tree, so that a reader can resolve a TD's /Headers to its TH cells (WeasyPrint gives the
    TH cells an /ID but writes no /IDTree)."""
    ids = sorted(
        (str(element["ID"].string), element.reference)
        for element, _origin in elements
        if "ID" in element and element.reference not in replaced
    )
    if ids:
        names = pydyf.Array()
        for key, ref in ids:
            names += [pydyf.String(key), ref]
        root["IDTree"] = pydyf.Dictionary({"Names": names})


def _final(replaced: dict[bytes, bytes], ref):
    while ref in replaced:
        ref = replaced[ref]
    return ref


def name_links(pdf, link_texts: dict[str, str]) -> None:
    """An internal link's description (/Contents, what a screen reader announces) is the title of where it
    leads, not WeasyPrint's anchor name ("s-tijdigheid")."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Subtype") == "/Link" and "Dest" in obj:
            title = link_texts.get(str(obj["Dest"].string))
            if title:
                obj["Contents"] = pydyf.String(title)


def finisher(document, pdf, link_texts: dict[str, str] | None = None) -> None:
    """WeasyPrint's ``finisher``: merge the split structure elements and name the internal links before
    the PDF is written."""
    merge_split_elements(pdf)
    name_links(pdf, link_texts or {})
