"""Errors a user can cause. The CLI prints them as one line, without a traceback."""


class AuroraError(Exception):
    """A problem with the user's input or environment, explained in one sentence."""


class RecipeError(AuroraError):
    """A recipe that fails validation; the message starts with the field's path."""
