"""Graph memory of each user's profile facts, on Graphiti (FalkorDB embedded, or Neo4j).

``ProfileMemory`` keeps *bi-temporal* profile facts: allergies (with severity), diets,
language, cultural background, home city, budget.  Each fact is a Graphiti ``EntityEdge``
``(Person)-[RELATES_TO {name: ALLERGIC_TO, ...}]->(Allergen)`` with ``valid_at`` set, written
directly through Graphiti's node/edge models (no LLM).  A change never deletes: the old edge
gets ``invalid_at`` (when it stopped being true) and ``expired_at`` (when we learnt that), so
``history`` shows every value a user ever had.

Backends (``agents.memory_setup.make_memory(settings)``):

* FalkorDB (default): Graphiti's ``FalkorDriver`` over our own ``falkordb.asyncio.FalkorDB``
  client, so the embedded server's unix socket works (``FalkorDriver(falkor_db=...)``; its own
  constructor only takes host/port).  Graphiti on FalkorDB keeps each ``group_id`` in its own
  graph: every user gets the graph ``group_id_for(user_id)``.
* Neo4j (``settings.neo4j_uri`` set): Graphiti's ``Neo4jDriver``; one database, ``group_id`` is
  a property on every node and edge, and every read filters on it.

Free-form episodes (``note_episode``) go through ``Graphiti.add_episode`` only when an LLM is
configured (``GROQ_API_KEY``: Graphiti's OpenAI-compatible client pointed at Groq); they run as
fire-and-forget tasks off the reply path, errors logged.  Offline, nothing is written.

Facts are idempotent under at-least-once delivery: remembering the value already in force
(same attrs) is a no-op, and so is replaying an assertion with the same ``valid_at``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import re
import uuid as uuidlib
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from agents.graphiti_compat import await_index_build, cancel_index_build

os.environ.setdefault("GRAPHITI_TELEMETRY_ENABLED", "false")

_LOGGER = logging.getLogger(__name__)
_NS = uuidlib.UUID("6f6b3c1e-5d0a-4a53-9a44-0c1d2e3f4a5b")
_GROUP_OK = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
_ATTR_OK = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,40}$")
_RESERVED = {"uuid", "source_node_uuid", "target_node_uuid", "fact", "fact_embedding", "name",
             "group_id", "episodes", "created_at", "expired_at", "valid_at", "invalid_at",
             "reference_time", "kind", "value", "key", "source_uuid", "target_uuid", "labels",
             "attrs_json"}


@dataclass(frozen=True)
class FactKind:
    """One kind of profile fact: edge name, target node label, profile key, single or multi."""

    edge: str
    label: str
    key: str  # key in ``current()``
    multi: bool
    phrase: str  # "{user} <phrase> {value}"


KINDS: dict[str, FactKind] = {
    "allergy": FactKind("ALLERGIC_TO", "Allergen", "allergies", True, "is allergic to"),
    "diet": FactKind("FOLLOWS_DIET", "Diet", "diets", True, "follows the diet"),
    "language": FactKind("PREFERS_LANGUAGE", "Language", "language", False, "prefers the language"),
    "cultural_background": FactKind("HAS_CULTURAL_BACKGROUND", "Culture", "cultural_background", True,
                                    "has the cultural background"),
    "home_city": FactKind("LIVES_IN", "Place", "home_city", False, "lives in"),
    "budget": FactKind("HAS_BUDGET", "Budget", "budget", False, "has the budget"),
}
_EDGE_KIND = {k.edge: name for name, k in KINDS.items()}


@dataclass(frozen=True)
class Fact:
    """One stored profile fact (a Graphiti EntityEdge), current or historical."""

    kind: str
    value: str
    attrs: dict
    valid_at: datetime | None
    invalid_at: datetime | None = None
    expired_at: datetime | None = None
    created_at: datetime | None = None
    uuid: str = ""
    fact: str = ""

    @property
    def current(self) -> bool:
        return self.invalid_at is None and self.expired_at is None

    @property
    def key(self) -> str:
        return _norm(self.value)

    def as_dict(self) -> dict:
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {"kind": self.kind, "value": self.value, **self.attrs, "valid_at": iso(self.valid_at),
                "invalid_at": iso(self.invalid_at), "expired_at": iso(self.expired_at),
                "created_at": iso(self.created_at), "uuid": self.uuid, "fact": self.fact}


def group_id_for(user_id: str) -> str:
    """The Graphiti group_id of a user (a FalkorDB graph name): ``mem_<id>`` or ``memx_<hash>``.

    Prefixed so a user id can never name another graph (e.g. the catalogue's ``aurasense``);
    ids outside Graphiti's ``[A-Za-z0-9_-]`` are hashed.
    """
    if _GROUP_OK.match(user_id):
        return f"mem_{user_id}"
    return "memx_" + hashlib.sha256(user_id.encode()).hexdigest()[:32]


def _norm(value: str) -> str:
    return " ".join(str(value).split()).casefold()


def utc(at: datetime | float | int | None) -> datetime:
    if at is None:
        return datetime.now(timezone.utc)
    if isinstance(at, (int, float)):
        return datetime.fromtimestamp(at, timezone.utc)
    return at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at.astimezone(timezone.utc)


def _clean_attrs(attrs: dict | None) -> dict:
    """Attributes as edge properties: identifier keys, primitive (or list of primitive) values."""
    out = {}
    for k, v in (attrs or {}).items():
        if not _ATTR_OK.match(k) or k in _RESERVED:
            raise ValueError(f"bad fact attribute name {k!r}")
        if v is None:
            continue
        if isinstance(v, (list, tuple)):
            v = [x for x in v if isinstance(x, (str, int, float, bool))]
        elif not isinstance(v, (str, int, float, bool)):
            v = str(v)
        out[k] = v
    return out


@dataclass
class _Scope:
    """Per-user handles: group id, the driver/Graphiti that reach its data, a write lock."""

    group_id: str
    driver: Any
    graphiti: Any
    user_uuid: str
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    user_saved: bool = False


class ProfileMemory:
    """Bi-temporal profile facts per user over a Graphiti driver (see module docstring)."""

    def __init__(self, driver_factory, *, embedder=None, llm_client=None, per_group_graphs: bool,
                 max_scopes: int = 2048):
        from agents.providers.graphiti_offline import CosineReranker, HashingEmbedder

        self._driver_factory = driver_factory
        self.embedder = embedder or HashingEmbedder()
        self.reranker = CosineReranker(self.embedder)
        self.llm_client = llm_client  # None: offline, no episodes
        self.per_group_graphs = per_group_graphs
        self._driver = None
        self._graphiti = None
        self._scopes: OrderedDict[str, _Scope] = OrderedDict()
        self._max_scopes = max_scopes
        self._tasks: set[asyncio.Task] = set()

    # --- lifecycle ----------------------------------------------------------------------
    @property
    def backend(self) -> str:
        return "falkordb" if self.per_group_graphs else "neo4j"

    @property
    def episodes_enabled(self) -> bool:
        return self.llm_client is not None

    async def connect(self) -> None:
        """Open the driver and build Graphiti's indexes (idempotent)."""
        if self._driver is not None:
            return
        self._driver = self._driver_factory()
        self._graphiti = self._make_graphiti(self._driver)
        await await_index_build(self._driver)

    async def close(self, episode_timeout_s: float = 5.0) -> None:
        """Let pending episode tasks finish (bounded), then close the driver."""
        if self._tasks:
            _done, pending = await asyncio.wait(set(self._tasks), timeout=episode_timeout_s)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
        if self._driver is not None:
            for scope in self._scopes.values():
                if scope.driver is not self._driver:
                    await cancel_index_build(scope.driver)
            await self._driver.close()
        self._driver = self._graphiti = None
        self._scopes.clear()

    def _make_graphiti(self, driver):
        from graphiti_core import Graphiti

        from agents.providers.graphiti_offline import NoLLMClient

        return Graphiti(graph_driver=driver, llm_client=self.llm_client or NoLLMClient(),
                        embedder=self.embedder, cross_encoder=self.reranker, max_coroutines=4)

    async def _scope(self, user_id: str) -> _Scope:
        await self.connect()
        scope = self._scopes.get(user_id)
        if scope is not None:
            self._scopes.move_to_end(user_id)
            return scope
        gid = group_id_for(user_id)
        if self.per_group_graphs:  # FalkorDB: the user's own graph, indexed once
            driver = self._driver.clone(database=gid)
            await await_index_build(driver)
            graphiti = self._make_graphiti(driver)
        else:  # Neo4j: one database, group_id as a property
            driver, graphiti = self._driver, self._graphiti
        scope = _Scope(gid, driver, graphiti, str(uuidlib.uuid5(_NS, f"{gid}|user")))
        self._scopes[user_id] = scope
        while len(self._scopes) > self._max_scopes:
            _uid, old = self._scopes.popitem(last=False)
            if old.driver is not self._driver:
                await cancel_index_build(old.driver)
        return scope

    # --- facts --------------------------------------------------------------------------
    async def remember(self, user_id: str, fact_kind: str, value: str,
                       valid_at: datetime | float | None = None, attrs: dict | None = None) -> Fact:
        """Record that ``fact_kind = value`` holds from ``valid_at`` (default now); returns it.

        Single-valued kinds (language, home_city, budget) invalidate the value in force;
        multi-valued ones (allergy, diet, cultural_background) only a previous version of the
        same value (e.g. an allergy whose severity changed).  No-op when nothing changes.
        """
        kind = _kind(fact_kind)
        value = " ".join(str(value).split())
        if not value:
            raise ValueError("empty fact value")
        valid_at, attrs, key = utc(valid_at), _clean_attrs(attrs), _norm(value)
        scope = await self._scope(user_id)
        async with scope.lock:
            facts = await self._facts(scope, fact_kind)
            for f in facts:  # replay of the same assertion, or nothing new to say
                if f.key == key and f.attrs == attrs and (f.current or f.valid_at == valid_at):
                    return f
            live = [f for f in facts if f.current and (kind.multi is False or f.key == key)]
            later = [f.valid_at for f in live if f.valid_at and f.valid_at > valid_at]
            # An older statement arriving late is history already superseded by ``later``.
            invalid_at = min(later) if later else None
            now = datetime.now(timezone.utc)
            if invalid_at is None:
                await self._invalidate(scope, [f.uuid for f in live], valid_at, now)
            return await self._save(scope, user_id, fact_kind, value, valid_at, attrs, invalid_at,
                                    now if invalid_at else None)

    async def forget(self, user_id: str, fact_kind: str, value: str | None = None,
                     at: datetime | float | None = None) -> int:
        """The fact stopped holding at ``at`` (default now): invalidate, keep history.

        ``value=None`` ends every current value of the kind.  Returns how many facts ended.
        """
        _kind(fact_kind)
        at = utc(at)
        scope = await self._scope(user_id)
        async with scope.lock:
            facts = await self._facts(scope, fact_kind)
            live = [f for f in facts if f.current and (value is None or f.key == _norm(value))
                    and (f.valid_at is None or f.valid_at <= at)]
            await self._invalidate(scope, [f.uuid for f in live], at, datetime.now(timezone.utc))
            return len(live)

    async def history(self, user_id: str, fact_kind: str | None = None) -> list[Fact]:
        """Every fact (current and ended) of one kind, or of all kinds, oldest first."""
        if fact_kind is not None:
            _kind(fact_kind)
        return await self._facts(await self._scope(user_id), fact_kind)

    async def facts(self, user_id: str) -> list[Fact]:
        """The facts in force now, oldest first."""
        return [f for f in await self.history(user_id) if f.current]

    async def current(self, user_id: str) -> dict:
        """The profile in force: ``allergies``/``diets``/``cultural_background`` lists,
        ``language``/``home_city``/``budget`` strings (or None), and ``details``:
        kind -> value -> attrs plus ``valid_at`` (e.g. an allergy's severity)."""
        out: dict[str, Any] = {k.key: ([] if k.multi else None) for k in KINDS.values()}
        details: dict[str, dict] = {}
        for f in await self.facts(user_id):
            k = KINDS[f.kind]
            if k.multi:
                out[k.key].append(f.value)
            else:
                out[k.key] = f.value
            details.setdefault(f.kind, {})[f.value] = {**f.attrs, "valid_at": f.valid_at.isoformat()
                                                       if f.valid_at else None}
        out["details"] = details
        return out

    async def search(self, user_id: str, query: str, limit: int = 5) -> list[str]:
        """Graphiti hybrid search (fulltext + offline vectors, cosine rerank) over the user's
        facts, current ones only; returns fact sentences."""
        from graphiti_core.search.search_filters import SearchFilters

        scope = await self._scope(user_id)
        edges = await scope.graphiti.search(query, group_ids=[scope.group_id], num_results=limit * 3,
                                            search_filter=SearchFilters())
        return [e.fact for e in edges if e.invalid_at is None and e.expired_at is None][:limit]

    async def drop_user(self, user_id: str) -> None:
        """Delete a user's whole memory (right to be forgotten; tests)."""
        scope = await self._scope(user_id)
        await scope.driver.execute_query("MATCH (n) WHERE n.group_id = $g DETACH DELETE n",
                                         g=scope.group_id)

    # --- episodes -----------------------------------------------------------------------
    def note_episode(self, user_id: str, text: str, at: datetime | float | None = None,
                     source: str = "utterance") -> asyncio.Task | None:
        """Hand a free-form utterance to Graphiti's LLM extraction, in the background.

        Returns the task (for tests / shutdown), or None when no LLM is configured — then
        nothing is written.  Never raises into the caller's reply path.
        """
        if self.llm_client is None or not text.strip():
            return None
        task = asyncio.get_running_loop().create_task(self._add_episode(user_id, text, utc(at), source))
        self._tasks.add(task)
        task.add_done_callback(self._episode_done)
        return task

    async def _add_episode(self, user_id: str, text: str, at: datetime, source: str):
        from graphiti_core.nodes import EpisodeType

        scope = await self._scope(user_id)
        return await scope.graphiti.add_episode(
            name=f"{source} {at.isoformat()}", episode_body=text, source=EpisodeType.message,
            source_description=source, reference_time=at, group_id=scope.group_id)

    def _episode_done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            _LOGGER.warning("graph memory episode cancelled")
        elif task.exception() is not None:
            _LOGGER.error("graph memory episode failed: %r", task.exception(),
                          exc_info=task.exception())

    async def episode_count(self, user_id: str) -> int:
        """Episodic nodes stored for the user (tests, ops)."""
        scope = await self._scope(user_id)
        records, _, _ = await scope.driver.execute_query(
            "MATCH (e:Episodic) WHERE e.group_id = $g RETURN count(e) AS n", g=scope.group_id)
        return int(records[0]["n"]) if records else 0

    # --- storage ------------------------------------------------------------------------
    async def _facts(self, scope: _Scope, fact_kind: str | None) -> list[Fact]:
        # Not EntityEdge.get_by_node_uuid: it returns properties(e), i.e. every fact's
        # 384-float embedding, which the client parses in Python (~40 ms for 40 facts).
        names = [KINDS[fact_kind].edge] if fact_kind else list(_EDGE_KIND)
        records, _, _ = await scope.driver.execute_query(
            _READ_FACTS, u=scope.user_uuid, g=scope.group_id, names=names)
        facts = [_fact_from_record(r) for r in records]
        far = datetime.max.replace(tzinfo=timezone.utc)
        return sorted(facts, key=lambda f: (f.valid_at or far, f.created_at or far))

    async def _invalidate(self, scope: _Scope, uuids: list[str], invalid_at: datetime,
                          expired_at: datetime) -> None:
        if not uuids:
            return
        await scope.driver.execute_query(
            "MATCH (:Entity)-[e:RELATES_TO]->(:Entity) WHERE e.uuid IN $uuids AND e.group_id = $g "
            "SET e.invalid_at = $invalid_at, e.expired_at = $expired_at",
            uuids=uuids, g=scope.group_id, invalid_at=invalid_at, expired_at=expired_at)

    async def _save(self, scope: _Scope, user_id: str, fact_kind: str, value: str, valid_at: datetime,
                    attrs: dict, invalid_at: datetime | None, expired_at: datetime | None) -> Fact:
        from graphiti_core.edges import EntityEdge
        from graphiti_core.nodes import EntityNode

        kind = KINDS[fact_kind]
        now = datetime.now(timezone.utc)
        nodes = []
        if not scope.user_saved:
            nodes.append(EntityNode(uuid=scope.user_uuid, name=user_id, group_id=scope.group_id,
                                    labels=["Person"], created_at=now, summary="Aurasense user",
                                    attributes={"user_id": user_id}))
        target = EntityNode(uuid=str(uuidlib.uuid5(_NS, f"{scope.group_id}|{fact_kind}|{_norm(value)}")),
                            name=value, group_id=scope.group_id, labels=[kind.label], created_at=now)
        nodes.append(target)
        detail = ", ".join(f"{k}: {v}" for k, v in sorted(attrs.items()))
        edge = EntityEdge(
            source_node_uuid=scope.user_uuid, target_node_uuid=target.uuid, name=kind.edge,
            group_id=scope.group_id, created_at=now, valid_at=valid_at, invalid_at=invalid_at,
            expired_at=expired_at, reference_time=valid_at,
            fact=f"{user_id} {kind.phrase} {value}" + (f" ({detail})" if detail else ""),
            attributes={"kind": fact_kind, "value": value, "attrs_json": json.dumps(attrs, sort_keys=True),
                        **attrs})
        texts = [n.name for n in nodes] + [edge.fact]
        vectors = await self.embedder.create_batch(texts)
        for n, v in zip(nodes, vectors):
            n.name_embedding = v
        edge.fact_embedding = vectors[-1]
        for n in nodes:
            await n.save(scope.driver)
        scope.user_saved = True
        await edge.save(scope.driver)
        return _fact(edge)


_READ_FACTS = """
MATCH (u:Entity {uuid: $u})-[e:RELATES_TO]->(:Entity)
WHERE e.group_id = $g AND e.name IN $names AND e.kind IS NOT NULL
RETURN e.uuid AS uuid, e.kind AS kind, e.value AS value, e.attrs_json AS attrs_json, e.fact AS fact,
       e.valid_at AS valid_at, e.invalid_at AS invalid_at, e.expired_at AS expired_at,
       e.created_at AS created_at
"""


def _fact_from_record(r) -> Fact:
    from graphiti_core.helpers import parse_db_date

    return Fact(kind=r["kind"], value=r["value"], attrs=json.loads(r["attrs_json"] or "{}"),
                valid_at=parse_db_date(r["valid_at"]), invalid_at=parse_db_date(r["invalid_at"]),
                expired_at=parse_db_date(r["expired_at"]), created_at=parse_db_date(r["created_at"]),
                uuid=r["uuid"], fact=r["fact"])


def _kind(fact_kind: str) -> FactKind:
    try:
        return KINDS[fact_kind]
    except KeyError:
        raise ValueError(f"unknown fact kind {fact_kind!r}; one of {sorted(KINDS)}") from None


def _fact(edge) -> Fact:
    attrs = json.loads(edge.attributes.get("attrs_json") or "{}")
    kind = edge.attributes.get("kind") or _EDGE_KIND.get(edge.name, edge.name)
    value = edge.attributes.get("value", "")
    return Fact(kind=kind, value=value, attrs=attrs, valid_at=edge.valid_at, invalid_at=edge.invalid_at,
                expired_at=edge.expired_at, created_at=edge.created_at, uuid=edge.uuid, fact=edge.fact)
