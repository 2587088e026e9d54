"""Plain functions shared by blueprints and commands: they take values and a session, never a request."""
