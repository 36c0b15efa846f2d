"""pytest plugin (registered through ``pytest11``); inert unless one of its ``--oidc-*`` options is used."""
