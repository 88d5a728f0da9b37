from .categories import CategoryForm, MaterialFormSet, RubricFormSet
from .details import EditionDetailsForm
from .identity import EditionImageForm, IssuersForm
from .rules import EditionRulesForm
from .school import SchoolConfirmationForm
from .windows import WindowExtendForm, WindowForm

__all__ = [
    "CategoryForm",
    "EditionDetailsForm",
    "EditionImageForm",
    "EditionRulesForm",
    "IssuersForm",
    "MaterialFormSet",
    "RubricFormSet",
    "SchoolConfirmationForm",
    "WindowExtendForm",
    "WindowForm",
]
