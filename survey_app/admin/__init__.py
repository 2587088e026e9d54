"""Administration: the organisation's users, roles, units and settings; the host's organisations."""
