from .categories import CategoryForm, MaterialFormSet, RubricFormSet
from .rules import EditionRulesForm
from .windows import WindowExtendForm, WindowForm

__all__ = [
    "CategoryForm",
    "EditionRulesForm",
    "MaterialFormSet",
    "RubricFormSet",
    "WindowExtendForm",
    "WindowForm",
]
