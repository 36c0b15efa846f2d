"""Public Hypothesis strategies for OIDC ID tokens (facade; implementations live in submodules)."""
