"""Reading XML from outside (BPMN, draw.io) without trusting it.

Every XML file goes through defusedxml: entity declarations (the "billion laughs" bomb) and
external entities (reading local files or URLs) are refused with a clear message, files over
the size limit of blueprint files are refused before parsing, and a malformed file is
reported with the line and column of the first error.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError

from defusedxml import (  # type: ignore[import-untyped]
    DefusedXmlException,
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]

from .. import textfile
from ..errors import LoadError
from .assemble import read_error


def _line_col(text: str, pattern: str) -> tuple[int, int]:
    m = re.search(pattern, text)
    if not m:
        return 1, 1
    line = text.count("\n", 0, m.start()) + 1
    return line, m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1


def parse_xml(data: bytes | str, file: str) -> Element:
    """The root element of ``data``; :class:`LoadError` with a located message if it is refused."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > textfile.max_bytes():
        raise LoadError([textfile._too_big(file, len(raw))])
    head = raw.decode("utf-8", "replace")
    try:
        root: Element = fromstring(raw, forbid_dtd=False, forbid_entities=True, forbid_external=True)
        return root
    except EntitiesForbidden as exc:
        line, col = _line_col(head, r"<!ENTITY")
        raise read_error(file, f"XML entity declaration '{exc.name}' refused (entity expansion can "
                         "exhaust memory)", line, col, "remove the <!DOCTYPE ...> block") from None
    except ExternalReferenceForbidden as exc:
        line, col = _line_col(head, r"SYSTEM|PUBLIC")
        raise read_error(file, f"external XML reference '{exc.sysid or exc.pubid}' refused (it could "
                         "read local files or the network)", line, col,
                         "remove the <!DOCTYPE ...> block") from None
    except DTDForbidden:  # pragma: no cover - DTDs are allowed, only entities are refused
        raise read_error(file, "XML document type declarations are refused") from None
    except DefusedXmlException as exc:  # pragma: no cover - other refusals of defusedxml
        raise read_error(file, f"unsafe XML refused: {exc}") from None
    except ParseError as exc:
        line, col = exc.position
        reason = str(exc).split(":")[0]
        raise read_error(file, f"malformed XML: {reason}", line, col + 1) from None


def local(tag: str) -> str:
    """A tag or attribute name without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


__all__ = ["LoadError", "local", "namespace", "parse_xml"]
