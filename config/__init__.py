"""Configuration classes; the factory layers instance file and KVIFOR_* environment on top."""
from config.defaults import DefaultConfig, TestingConfig

__all__ = ["DefaultConfig", "TestingConfig"]
