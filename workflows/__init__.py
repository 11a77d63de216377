"""The casework below the web: the engine (`workflows.engine`), the procedures
that plug into it (`workflows.procedures`), the policy text and demo data.
Nothing here imports Flask."""
