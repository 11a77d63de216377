"""The core around SpiffWorkflow: specs, case operations, projection, timers,
audit, outbox, letters, evidence, access and the procedure registry.

It names no procedure: procedures register themselves (`registry.register`)
and the engine asks the registry. Each module imports on its own; this
package imports none of them, so there is no cycle to hold apart.
"""
