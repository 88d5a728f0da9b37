from .categories import CategoryForm, MaterialFormSet, RubricFormSet
from .details import EditionDetailsForm
from .rules import EditionRulesForm
from .school import SchoolConfirmationForm
from .windows import WindowExtendForm, WindowForm

__all__ = [
    "CategoryForm",
    "EditionDetailsForm",
    "EditionRulesForm",
    "MaterialFormSet",
    "RubricFormSet",
    "SchoolConfirmationForm",
    "WindowExtendForm",
    "WindowForm",
]
