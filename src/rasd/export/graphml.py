"""GraphML export of the actor network: who did what to whom, aggregated over merged events.

Nodes are the actors of the exported events (id: the store's actor id; Arabic and English labels, Wikidata
id, kind). Edges join the two sides of each merged event, one edge per pair of actors and event type, with
`weight` = the number of merged events and `mentions` = the number of reports behind them. Edges point from
the initiator to the target. Edges of the symmetric types (CONSULT, AGREE, COOPERATE) carry `symmetric` =
true, join every pair of participants whichever side the text put them on, and have their endpoints in a fixed
order; they are not marked `directed="false"`, because networkx (and others) refuse a graph that mixes
directed and undirected edges. Gephi, yEd, networkx and igraph read the file as is.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from itertools import combinations
from typing import Any, TextIO

from rasd.events.merge import is_symmetric
from rasd.store import Store
from rasd.store.filters import Filters
from rasd.store.merged import ActorRef, MergedEvent

NS = "http://graphml.graphdrawing.org/xmlns"
NODE_KEYS = (("label", "string"), ("label_ar", "string"), ("label_en", "string"), ("wikidata", "string"),
             ("kind", "string"), ("events", "int"))  # fmt: skip
EDGE_KEYS = (("event_type", "string"), ("symmetric", "boolean"), ("weight", "double"), ("mentions", "int"),
             ("first_date", "string"), ("last_date", "string"))  # fmt: skip
# Characters XML 1.0 cannot carry, even escaped.
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class _Edge:
    weight: int = 0
    mentions: int = 0
    first_date: str | None = None
    last_date: str | None = None


def _pairs(ev: MergedEvent) -> list[tuple[str, str]]:
    if is_symmetric(ev.type):
        ids = sorted({a.id for a in ev.actors_a + ev.actors_b})
        return list(combinations(ids, 2))
    return [(a.id, b.id) for a in ev.actors_a for b in ev.actors_b if a.id != b.id]


def _text(value: Any) -> str:
    return _BAD_XML.sub("", str(value))


def write_graphml(store: Store, out: TextIO, filters: Filters) -> int:
    """Write the network of the (filtered) merged events; returns the number of edges."""
    nodes: dict[str, ActorRef] = {}
    degree: dict[str, int] = {}
    edges: dict[tuple[str, str, str], _Edge] = {}
    for ev in store.merged_events(filters):
        for a in ev.actors_a + ev.actors_b:
            nodes.setdefault(a.id, a)
            degree[a.id] = degree.get(a.id, 0) + 1
        for s, t in _pairs(ev):
            e = edges.setdefault((ev.type, s, t), _Edge())
            e.weight += 1
            e.mentions += len(ev.mentions)
            if ev.sort_date:
                e.first_date = min(filter(None, (e.first_date, ev.sort_date)))
                e.last_date = max(filter(None, (e.last_date, ev.sort_date)))

    root = ET.Element("graphml", {"xmlns": NS})
    for for_, keys in (("node", NODE_KEYS), ("edge", EDGE_KEYS)):
        for name, kind in keys:
            ET.SubElement(root, "key", {"id": name, "for": for_, "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, "graph", {"id": "rasd", "edgedefault": "directed"})
    for node_id, a in sorted(nodes.items()):
        node = ET.SubElement(graph, "node", {"id": _text(node_id)})
        values = {
            "label": a.name_en or a.name_ar or a.id,
            "label_ar": a.name_ar,
            "label_en": a.name_en,
            "wikidata": a.wikidata,
            "kind": a.kind,
            "events": degree[node_id],
        }
        _data(node, values)
    for i, ((event_type, s, t), e) in enumerate(sorted(edges.items())):
        edge = ET.SubElement(graph, "edge", {"id": f"e{i}", "source": _text(s), "target": _text(t)})
        values = {
            "event_type": event_type,
            "symmetric": "true" if is_symmetric(event_type) else "false",
            "weight": e.weight,
            "mentions": e.mentions,
            "first_date": e.first_date,
            "last_date": e.last_date,
        }
        _data(edge, values)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
    return len(edges)


def _data(parent: ET.Element, values: dict[str, Any]) -> None:
    for key, value in values.items():
        if value is not None and value != "":
            ET.SubElement(parent, "data", {"key": key}).text = _text(value)
