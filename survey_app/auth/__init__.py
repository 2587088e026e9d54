"""Staff login: one blueprint, server-side sessions (see ``services.accounts``)."""
