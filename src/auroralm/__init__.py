"""auroralm: continual pretraining of open LLMs onto new languages, keeping code, with safety."""

__version__ = "0.1.0"
