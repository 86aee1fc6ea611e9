"""Build the profile memory the settings name: Graphiti on Neo4j (``settings.neo4j_uri``) or on
the embedded FalkorDB, with Groq as Graphiti's LLM when ``GROQ_API_KEY`` is set."""

from __future__ import annotations

from agents.memory import ProfileMemory

GROQ_OPENAI_BASE = "https://api.groq.com/openai/v1"
GROQ_MODEL = "llama-3.3-70b-versatile"
GROQ_SMALL_MODEL = "llama-3.1-8b-instant"

def make_llm_client(settings):
    """Graphiti's OpenAI-compatible client pointed at Groq when ``GROQ_API_KEY`` is set, else None."""
    if not settings.groq_api_key:
        return None
    from graphiti_core.llm_client.config import LLMConfig
    from graphiti_core.llm_client.openai_generic_client import OpenAIGenericClient
    from openai import AsyncOpenAI

    groq_base = settings.groq_base_url
    base_url = groq_base.rstrip("/") + "/openai/v1" if groq_base else GROQ_OPENAI_BASE
    config = LLMConfig(api_key=settings.groq_api_key, model=GROQ_MODEL, small_model=GROQ_SMALL_MODEL,
                       base_url=base_url)
    client = AsyncOpenAI(api_key=settings.groq_api_key, base_url=base_url,
                         timeout=settings.groq_timeout_s, max_retries=1)
    return OpenAIGenericClient(config=config, client=client, max_tokens=4096,
                               structured_output_mode="json_object")


def make_memory(settings, embedder=None, llm_client=None) -> ProfileMemory:
    """Neo4j when ``settings.neo4j_uri`` is set, else FalkorDB (unix socket if
    ``settings.falkordb_socket``, else host/port).  Call ``await memory.connect()`` (or let
    the first operation do it) inside the event loop that will use it."""
    llm = llm_client if llm_client is not None else make_llm_client(settings)
    if settings.neo4j_uri:
        def neo4j_driver():
            from graphiti_core.driver.neo4j_driver import Neo4jDriver

            return Neo4jDriver(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password)

        return ProfileMemory(neo4j_driver, embedder=embedder, llm_client=llm, per_group_graphs=False)

    def falkor_driver():
        from falkordb.asyncio import FalkorDB
        from graphiti_core.driver.falkordb_driver import FalkorDriver

        if settings.falkordb_socket:
            client = FalkorDB(unix_socket_path=settings.falkordb_socket)
        else:
            client = FalkorDB(host=settings.falkordb_host, port=settings.falkordb_port)
        return FalkorDriver(falkor_db=client, database="mem__default")

    return ProfileMemory(falkor_driver, embedder=embedder, llm_client=llm, per_group_graphs=True)
