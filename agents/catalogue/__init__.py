"""The food and travel catalogue: plain data (``data``) and its idempotent graph loader (``loader``)."""
