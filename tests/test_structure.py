"""The codebase's seams: no import cycles among product modules, and an agent added in three files.

Both read or copy the source; neither starts a stack.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("agents", "streams", "gateway", "schemas", "aurasense", "stack", "speech", "core")


def product_modules() -> dict[str, Path]:
    modules = {}
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py") if (ROOT / package).is_dir() else ():
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imported_names(path: Path) -> set[str]:
    """Every module an import statement names, function-local ones included; imports under
    ``if TYPE_CHECKING:`` are annotations, never run, and are left out."""
    names: set[str] = set()
    pending = [ast.parse(path.read_text(encoding="utf-8"))]
    while pending:
        node = pending.pop()
        if _type_checking_only(node):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        pending.extend(ast.iter_child_nodes(node))
    return names


def import_graph() -> dict[str, set[str]]:
    modules = product_modules()
    graph = {}
    for name, path in modules.items():
        edges = set()
        for imported in imported_names(path):
            while imported and imported not in modules:  # "agents.slots.city_in" -> "agents.slots"
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                edges.add(imported)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles_among_product_modules():
    assert cycles(import_graph()) == []


def test_function_local_imports_are_read():
    local = imported_names(ROOT / "agents" / "providers" / "graph_backend.py")
    assert "agents.providers.neo4j_graph" in local  # imported inside make_graph_store


# --------------------------------------------------------------------------- adding an agent

WEATHER_MODULE = '''
from agents import templates as T
from agents.base import AgentReply


class WeatherAgent:
    name = "weather"

    async def reply(self, req, ctx):
        return AgentReply(self.name, T.say("weather"), {})
'''

CHECK = '''
import asyncio, json
from agents import registry, intent_model, router_training
from agents.base import AgentRequest
from agents.providers.llm import router_prompt

reply = asyncio.run(registry.AGENTS["weather"].reply(AgentRequest("u", "s", "will it rain"), None))
stale = ""
try:
    intent_model.IntentModel.load()
except ValueError as err:
    stale = str(err)
print(json.dumps({
    "names": registry.AGENT_NAMES,
    "labels": intent_model.LABELS,
    "prompt": router_prompt(registry.routing_descriptions()),
    "trained": sorted({r["label"] for r in router_training.team_rows()}),
    "reply": reply.text,
    "stale": stale,
}))
'''


def test_an_agent_is_added_in_its_module_its_spec_and_its_wording(tmp_path):
    """Copy ``agents/``, add a weather agent by editing only three files, and check that the
    names, the router's labels and training lines, the Groq prompt and the dispatch all know it
    (and that the old weights refuse to load until retrained, instead of routing wrongly)."""
    copy = tmp_path / "agents"
    shutil.copytree(ROOT / "agents", copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "weather_agent.py").write_text(textwrap.dedent(WEATHER_MODULE))
    registry = copy / "registry.py"
    text = registry.read_text()
    text = text.replace("from agents.travel_agent import TravelAgent\n",
                        "from agents.travel_agent import TravelAgent\nfrom agents.weather_agent import WeatherAgent\n")
    spec = ('    AgentSpec(WeatherAgent(), "the weather: rain, sun, temperature",\n'
            '              ("will it rain tomorrow", "how hot is it in Lagos")),\n)\n')
    head, tail = text.split("\n)\n# What no agent answers", 1)
    registry.write_text(head + "\n" + spec + "# What no agent answers" + tail)
    templates = copy / "templates.py"
    templates.write_text(templates.read_text().replace(
        '    "en": {\n', '    "en": {\n        "weather": "I can\'t see the sky from here, sorry.",\n', 1))

    env = dict(os.environ, PYTHONPATH=f"{tmp_path}{os.pathsep}{ROOT}")
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    import json

    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["names"][-1] == "weather" and "weather" in seen["labels"]
    assert "- weather: the weather: rain, sun, temperature" in seen["prompt"]
    assert "weather" in seen["trained"]
    assert seen["reply"] == "I can't see the sky from here, sorry."
    assert "run python -m agents.router_training" in seen["stale"]
