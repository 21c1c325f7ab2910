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


class RdfError(KgError):
    """The RDF stage got inconsistent records or an unknown output format."""


class ValidationError(KgError):
    """A file given to `kg validate` cannot be read or parsed as RDF."""


class VizError(KgError):
    """graph.html cannot be made, e.g. the vis-network files of the pyvis package are missing."""


class ResourceError(KgError):
    """A data file under kg/resources is missing or unreadable."""


class ServeError(KgError):
    """The SPARQL endpoint cannot start, e.g. its port is taken."""


class LoadError(KgError):
    """A triple store refused or failed an upload (`kg load`)."""


class OutputError(KgError):
    """An output file cannot be written (no space, no permission, a folder in its place)."""
