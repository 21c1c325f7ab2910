"""One exception family: the CLI turns any of these into a one-line message."""


class KgError(Exception):
    """Base of every error the user can fix; the message names the file and the fix."""


class InputError(KgError):
    """An input path is missing, unreadable or of a kind kg cannot read."""


class GoldError(KgError):
    """A gold annotation file does not follow tests/gold/GUIDELINES.md."""


class QueryError(KgError):
    """A SPARQL query is malformed or cannot run."""


class GraphNotFoundError(KgError):
    """No built graph where one was expected."""


class ModelError(KgError):
    """An NLP model is missing or unusable."""
