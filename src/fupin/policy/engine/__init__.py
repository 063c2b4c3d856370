"""The pure policy rule engine (政策规则引擎): packs, the rule language, and its three executions.

No Django here: frames and dicts in, decisions out. The CLI and API layers (`fupin.policy`) wrap it.
"""

from .catalogue import Catalogue, FieldDef, registry_catalogue
from .errors import ExpressionError, InputError, PackError, Problem
from .evaluate import Decision, evaluate_household
from .model import Cite, Pack, Parameter, Rule
from .packs import PackSet, load_folder, load_pack, publish, shipped_folder

__all__ = [
    "Catalogue", "Cite", "Decision", "ExpressionError", "FieldDef", "InputError", "Pack", "PackError", "PackSet",
    "Parameter", "Problem", "Rule", "evaluate_household", "load_folder", "load_pack", "publish", "registry_catalogue",
    "shipped_folder",
]
